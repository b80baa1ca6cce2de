import { existsSync, readFileSync } from 'node:fs';
import type { TestReport } from '../testReport';

/** Reads the in-host runner's report; undefined when it was never written. */
export function readReport(file: string): TestReport | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as TestReport;
}

/**
 * Prints failures and counts from the report, and says whether the run counts as
 * a pass: at least one test passed, none failed, no runner error.
 */
export function printReport(report: TestReport | undefined, exitCode: number | undefined): boolean {
  if (!report) {
    console.log(`integration: no report was written (exit code ${exitCode ?? 'none'})`);
    return false;
  }
  // The reporter's live lines came through the page console; this is the summary of record.
  console.log(`\nintegration tests in VS Code ${report.vscodeVersion}`);
  for (const t of report.tests.filter((x) => x.state === 'failed')) {
    console.log(
      `\n  ✗ ${t.fullTitle}\n    ${(t.error?.stack ?? t.error?.message ?? '').split('\n').join('\n    ')}`,
    );
  }
  if (report.runnerError) console.log(`\nrunner error: ${report.runnerError}`);
  const { tests, passes, failures, pending } = report.stats;
  console.log(`\n${passes} passing, ${failures} failing, ${pending} pending (of ${tests})`);
  return exitCode === 0 && !report.runnerError && failures === 0 && passes > 0;
}
