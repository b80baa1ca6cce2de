/** One test's outcome, as written by the in-host runner (test/integration/index.ts). */
export interface TestOutcome {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

/** The JSON report the in-host runner writes, since its console is not visible from outside. */
export interface TestReport {
  startedAt: string;
  finishedAt: string;
  vscodeVersion: string;
  stats: { tests: number; passes: number; failures: number; pending: number };
  tests: TestOutcome[];
  /** Set when the runner itself failed (no test files, load error). */
  runnerError?: string;
}

/** Env var naming the report file; default: report.json next to the bundled runner. */
export const reportEnvVar = 'ANNEAL_TEST_REPORT';

/** Marks the runner's reporter lines in the extension host console, so launchers can echo them. */
export const mochaLinePrefix = '[anneal-mocha] ';
