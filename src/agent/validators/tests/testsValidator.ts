import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidationReport } from '../../../protocol/reports';
import { AnnealError } from '../../annealError';
import { ConcurrencyLimit, runProcess } from '../python/childProcess';
import type { ValidationInput, Validator } from '../validator';
import { parseJsonReport } from './jsonReporters';
import { copyProject, ProjectTooLargeError, type ProjectCopy } from './projectCopy';
import { isScriptFile } from './relatedTests';
import { looksLikeTap, parseTap } from './tapParser';
import type { TestFailure } from './testFailure';
import { planTests, type TestPlan } from './testPlan';

/** Default limit for one test run. */
export const DEFAULT_TEST_TIMEOUT_MS = 60_000;
/** How much of a failed command's output a report keeps (the end, where the failure is). */
const TAIL_LINES = 200;
/** Test runs are whole process trees; two at a time is what a small machine takes. */
const runs = new ConcurrencyLimit(2);

export interface TestsValidatorOptions {
  projectDir: string;
  /** A command from the settings; replaces detection and runs for every file. */
  testCommand?: string;
  timeoutMs?: number;
  /** Workspace Trust: tests run the workspace's code. */
  trusted: boolean;
}

let nodeVersion: Promise<string> | undefined;

/** The version of the `node` on PATH that runs the tests (not necessarily this process's). */
function pathNodeVersion(): Promise<string> {
  nodeVersion ??= runProcess('node', ['--version'], { cwd: process.cwd(), timeoutMs: 10_000 })
    .then((r) => r.stdout.trim() || process.version)
    .catch(() => process.version);
  return nodeVersion;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The environment for a test run: non-interactive, no colours, not nested in a caller's runner. */
function testEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/**
 * Runs the tests related to a file against the candidate text, in a temporary copy of the
 * project, never in the user's tree. Failures become `contract_violation` errors named after the
 * test, with the assertion message in full. A slow validator: the engine runs it only on
 * candidates without compile errors.
 */
export class TestsValidator implements Validator {
  readonly tool = 'tests' as const;
  private readonly timeoutMs: number;

  constructor(private readonly opts: TestsValidatorOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  }

  appliesTo(file: string): boolean {
    return isScriptFile(file) || Boolean(this.opts.testCommand?.trim());
  }

  async validate(input: ValidationInput): Promise<ValidationReport[]> {
    if (!this.appliesTo(input.file)) return [];
    if (!this.opts.trusted) {
      throw new AnnealError(
        'untrusted',
        'Tests run the workspace code, so they run only in a trusted workspace.',
      );
    }
    input.signal?.throwIfAborted();
    const projectDir = this.opts.projectDir;
    const outcome = planTests(projectDir, input.file, {
      testCommand: this.opts.testCommand,
      nodeVersion: await pathNodeVersion(),
    });
    if (outcome.kind === 'none') return [];
    if (outcome.kind === 'cannotRun')
      return [notRunReport(input.file, `The tests were not run: ${outcome.reason}.`)];
    const plan = outcome.plan;
    return runs.run(async () => {
      input.signal?.throwIfAborted();
      let copy: ProjectCopy;
      try {
        copy = await copyProject(projectDir, input.file, input.text);
      } catch (e) {
        const why =
          e instanceof ProjectTooLargeError ? e.message : e instanceof Error ? e.message : String(e);
        return [
          notRunReport(
            input.file,
            `The tests were not run: the project could not be copied to test the proposal (${why}).`,
          ),
        ];
      }
      try {
        return await this.runIn(copy, plan, input);
      } finally {
        await copy.dispose();
      }
    });
  }

  private async runIn(
    copy: ProjectCopy,
    plan: TestPlan,
    input: ValidationInput,
  ): Promise<ValidationReport[]> {
    let result;
    try {
      result = await runProcess(plan.command, plan.args, {
        cwd: copy.root,
        env: testEnv(),
        timeoutMs: this.timeoutMs,
        signal: input.signal,
        maxOutputBytes: 8 * 1024 * 1024,
      });
    } catch (e) {
      if (AnnealError.is(e, 'unavailable')) {
        return [notRunReport(input.file, `The tests were not run: ${e.message}.`)];
      }
      throw e;
    }
    const locate = new Locator(copy, this.opts.projectDir, input);
    if (result.timedOut) {
      const seconds = Math.round(this.timeoutMs / 100) / 10;
      return [
        locate.report(
          'timeout',
          `The tests took longer than ${seconds} s and were stopped (\`${plan.display}\`). The code may loop forever or wait on something that never happens.`,
          undefined,
        ),
      ];
    }
    if (result.exitCode === 0) return [];
    const stdout = stripAnsi(result.stdout);
    const stderr = stripAnsi(result.stderr);
    const failures = parseFailures(stdout);
    if (failures.length > 0) return failures.map((f) => locate.report(f.name, f.message, f.stack));
    const combined = [stdout.trimEnd(), stderr.trimEnd()].filter((s) => s !== '').join('\n');
    const tail = combined.split('\n').slice(-TAIL_LINES).join('\n');
    const exit = result.exitCode === null ? 'was killed' : `exited with code ${result.exitCode}`;
    return [locate.report('tests-failed', `\`${plan.display}\` ${exit}:\n${tail}`, combined)];
  }
}

function parseFailures(stdout: string): TestFailure[] {
  const json = parseJsonReport(stdout);
  if (json && json.length > 0) return json;
  if (looksLikeTap(stdout)) return parseTap(stdout);
  return [];
}

function notRunReport(file: string, message: string): ValidationReport {
  return {
    file,
    line: 0,
    character: 0,
    endLine: 0,
    endCharacter: 0,
    code: 'tests-not-run',
    category: 'other',
    severity: 'warning',
    message,
    tool: 'tests',
  };
}

/** Turns a failure in the copy into a report on the user's file: copy paths become project paths. */
class Locator {
  private readonly frame: RegExp;
  private readonly lines: string[];

  constructor(
    private readonly copy: ProjectCopy,
    private readonly projectDir: string,
    private readonly input: ValidationInput,
  ) {
    const forms = [pathToFileURL(copy.target).href, copy.target].map(escapeRegExp).join('|');
    this.frame = new RegExp(`(?:${forms}):(\\d+)(?::\\d+)?`);
    this.lines = input.text.split(/\r\n|\r|\n/);
  }

  private unCopy(text: string): string {
    return text
      .split(pathToFileURL(this.copy.root).href)
      .join(pathToFileURL(this.projectDir).href)
      .split(this.copy.root)
      .join(this.projectDir);
  }

  /** The 0-based line of the first stack frame in the target file, else 0. */
  private lineOf(text: string | undefined): number {
    const m = text === undefined ? null : this.frame.exec(text);
    if (!m) return 0;
    const n = Number(m[1]) - 1;
    return n >= 0 && n < this.lines.length ? n : 0;
  }

  report(name: string, message: string, where: string | undefined): ValidationReport {
    const line = this.lineOf(where ?? message) || this.lineOf(message);
    return {
      file: this.input.file,
      line,
      character: 0,
      endLine: line,
      endCharacter: (this.lines[line] ?? '').length,
      // A file-level failure is named by the test file: relative to the project, as the user knows it.
      code: this.unCopy(name.split(`${this.copy.root}${sep}`).join('')),
      category: 'contract_violation',
      severity: 'error',
      message: this.unCopy(message),
      tool: 'tests',
    };
  }
}
