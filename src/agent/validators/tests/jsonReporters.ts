import { failureMessage, type TestFailure } from './testFailure';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The JSON document a reporter printed, found at the start of a line: tests may print their own
 * lines before it. Tries each candidate start, first to last, and returns the first that parses.
 */
export function extractJson(output: string): unknown {
  const text = output.trim();
  if (text === '') return undefined;
  const starts: number[] = [];
  if (text.startsWith('{')) starts.push(0);
  for (let i = text.indexOf('\n{'); i !== -1 && starts.length < 50; i = text.indexOf('\n{', i + 1))
    starts.push(i + 1);
  for (const start of starts) {
    const tail = text.slice(start);
    try {
      return JSON.parse(tail) as unknown;
    } catch {
      // A JSON document followed by more output: cut at the last closing brace.
      const end = tail.lastIndexOf('}');
      if (end <= 0) continue;
      try {
        return JSON.parse(tail.slice(0, end + 1)) as unknown;
      } catch {
        // Not here; try the next start.
      }
    }
  }
  return undefined;
}

/** Splits "message\n    at frame…" into the message and the stack frames. */
function splitStack(text: string): { message: string; stack: string } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s+at /.test(l));
  if (at === -1) return { message: text, stack: '' };
  return { message: lines.slice(0, at).join('\n'), stack: lines.slice(at).join('\n') };
}

/** Failures in the Jest-compatible JSON that Vitest's (and Jest's) `json` reporter prints. */
function jestLikeFailures(doc: Record<string, unknown>): TestFailure[] {
  const failures: TestFailure[] = [];
  for (const file of Array.isArray(doc.testResults) ? doc.testResults : []) {
    if (!isRecord(file)) continue;
    const fileName = str(file.name) ?? str(file.testFilePath) ?? 'test file';
    let failedInFile = 0;
    for (const a of Array.isArray(file.assertionResults) ? file.assertionResults : []) {
      if (!isRecord(a) || a.status !== 'failed') continue;
      failedInFile += 1;
      const ancestors = Array.isArray(a.ancestorTitles)
        ? a.ancestorTitles.filter((t) => typeof t === 'string')
        : [];
      const title = str(a.title) ?? str(a.fullName) ?? 'test';
      const raw = (Array.isArray(a.failureMessages) ? a.failureMessages : []).filter(
        (m) => typeof m === 'string',
      );
      const text = raw.join('\n\n') || 'failed';
      const { message, stack } = splitStack(text);
      failures.push({
        name: [...ancestors, title].join(' > '),
        message: message.trim() || text,
        stack: stack || text,
      });
    }
    const fileMessage = str(file.message) ?? str(file.failureMessage);
    if (failedInFile === 0 && file.status === 'failed' && fileMessage) {
      failures.push({ name: fileName, message: fileMessage.trim(), stack: fileMessage });
    }
  }
  return failures;
}

/** Failures in the JSON that Mocha's `json` reporter prints. */
function mochaFailures(doc: Record<string, unknown>): TestFailure[] {
  const failures: TestFailure[] = [];
  for (const f of Array.isArray(doc.failures) ? doc.failures : []) {
    if (!isRecord(f)) continue;
    const err = isRecord(f.err) ? f.err : {};
    const message = str(err.message) ?? 'failed';
    const failure: TestFailure = {
      name: str(f.fullTitle) ?? str(f.title) ?? 'test',
      message: failureMessage(message, err.expected, err.actual),
    };
    const stack = str(err.stack);
    if (stack !== undefined) failure.stack = stack;
    failures.push(failure);
  }
  return failures;
}

/**
 * Failures from a runner's JSON report (Vitest or Jest, Mocha), or undefined when the output
 * holds no such report.
 */
export function parseJsonReport(output: string): TestFailure[] | undefined {
  const doc = extractJson(output);
  if (!isRecord(doc)) return undefined;
  if (Array.isArray(doc.testResults)) return jestLikeFailures(doc);
  if (Array.isArray(doc.failures) && isRecord(doc.stats)) return mochaFailures(doc);
  return undefined;
}
