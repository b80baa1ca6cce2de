import { failureMessage, type TestFailure } from './testFailure';

const TEST_POINT = /^( *)(not ok|ok) \d+(?: - (.*?))?(?: # (?:SKIP|TODO)\b.*)?$/;
const SUBTEST = /^( *)# Subtest: (.*)$/;
/** node:test's closing counts; they are not a test file's output. */
const SUMMARY = /^# (?:tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [\d.]+$/;

/** Whether output looks like TAP (what `node --test --test-reporter=tap` prints). */
export function looksLikeTap(output: string): boolean {
  return /^TAP version \d+$/m.test(output) || /^ *not ok \d+/m.test(output);
}

function unquote(raw: string): string | null {
  const v = raw.trim();
  if (v === '~' || v === 'null') return null;
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}

/**
 * The top-level keys of a TAP YAML diagnostic block whose keys sit at `indent` spaces. Block
 * scalars (`|-`) and nested mappings are returned as their dedented text.
 */
function parseYamlBlock(lines: readonly string[], indent: number): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const keyLine = new RegExp(`^ {${indent}}([A-Za-z_][\\w-]*):(?: (.*))?$`);
  for (let i = 0; i < lines.length; i++) {
    const m = keyLine.exec(lines[i] ?? '');
    if (!m) continue;
    const key = m[1] ?? '';
    const inline = m[2];
    const body: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1] ?? '';
      const nextIndent = next.length - next.trimStart().length;
      if (next.trim() !== '' && nextIndent <= indent) break;
      body.push(next);
      i += 1;
    }
    if (inline === undefined || /^[|>][-+]?$/.test(inline.trim())) {
      const bodyIndent = indent + 2;
      const text = body.map((l) =>
        l.startsWith(' '.repeat(bodyIndent)) ? l.slice(bodyIndent) : l.trimStart(),
      );
      out.set(key, text.join('\n').replace(/\s+$/, ''));
    } else {
      out.set(key, unquote([inline, ...body.map((l) => l.trim())].join(' ')));
    }
  }
  return out;
}

/**
 * The failed tests in TAP output from Node's test runner: the innermost failures with their full
 * names, error text, expected/actual and stack. A suite failing only because a test in it failed
 * is left out; a test file that did not run at all (a syntax error in the code under test) is
 * reported with the output it printed. Tests cancelled because their parent failed are left out
 * unless nothing else failed.
 */
export function parseTap(output: string): TestFailure[] {
  const lines = output.replace(/\r\n?/g, '\n').split('\n');
  const headers: string[] = [];
  const failures: TestFailure[] = [];
  const cancelled: TestFailure[] = [];
  let diagnostics: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const sub = SUBTEST.exec(line);
    if (sub) {
      const depth = Math.floor((sub[1] ?? '').length / 4);
      headers.length = depth;
      headers[depth] = sub[2] ?? '';
      continue;
    }
    const point = TEST_POINT.exec(line);
    if (!point) {
      const comment = /^ *# (.*)$/.exec(line);
      if (comment && !SUMMARY.test(line.trim())) diagnostics.push(comment[1] ?? '');
      continue;
    }
    const indent = (point[1] ?? '').length;
    const depth = Math.floor(indent / 4);
    const name = [...headers.slice(0, depth), point[3] ?? ''].filter((n) => n !== '').join(' > ');
    const block: string[] = [];
    if ((lines[i + 1] ?? '').trim() === '---') {
      let j = i + 2;
      while (j < lines.length && (lines[j] ?? '').trim() !== '...') block.push(lines[j++] ?? '');
      i = j;
    }
    const printed = diagnostics;
    diagnostics = [];
    if (point[2] !== 'not ok') continue;
    const yaml = parseYamlBlock(block, indent + 2);
    const failureType = yaml.get('failureType');
    if (failureType === 'subtestsFailed') continue;
    const error = yaml.get('error') ?? 'failed';
    const stack = yaml.get('stack') ?? undefined;
    // A file-level failure: the file's process exited before its tests ran; what it printed says why.
    if (yaml.has('exitCode') && error === 'test failed') {
      const out = printed.join('\n').trim();
      const exit = yaml.get('exitCode');
      const why =
        exit !== null && exit !== undefined ? `exit code ${exit}` : `signal ${yaml.get('signal') ?? '?'}`;
      failures.push({
        name,
        message: `The test file did not run to completion (${why})${out ? `:\n${out}` : '.'}`,
        stack: out,
      });
      continue;
    }
    const expected = yaml.has('expected') ? yaml.get('expected') : undefined;
    const actual = yaml.has('actual') ? yaml.get('actual') : undefined;
    const failure: TestFailure = { name, message: failureMessage(error, expected, actual) };
    if (stack !== undefined) failure.stack = stack;
    (failureType === 'cancelledByParent' ? cancelled : failures).push(failure);
  }
  return failures.length > 0 ? failures : cancelled;
}
