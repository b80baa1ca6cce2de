import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { mochaLinePrefix, reportEnvVar, type TestOutcome, type TestReport } from './testReport';

/**
 * Entry point VS Code calls in the extension host (extensionTestsPath): runs every bundled
 * dist/test/integration/*.test.js with mocha and writes a JSON report to $ANNEAL_TEST_REPORT
 * (default: report.json next to this file). Rejects when a test failed or none ran.
 * ANNEAL_E2E_GREP filters tests by full title.
 */
export async function run(): Promise<void> {
  const reportFile = process.env[reportEnvVar] ?? join(__dirname, 'report.json');
  const report: TestReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    vscodeVersion: vscode.version,
    stats: { tests: 0, passes: 0, failures: 0, pending: 0 },
    tests: [],
  };
  const write = () => {
    report.finishedAt = new Date().toISOString();
    writeFileSync(reportFile, JSON.stringify(report, null, 2));
  };
  // The host's console reaches a launcher only as browser console messages, which lose printf
  // formatting: hand over each reporter line already formatted, marked for the launcher to echo.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(`${mochaLinePrefix}${line}`);
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.ANNEAL_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) {
    report.runnerError = `no *.test.js files in ${__dirname}`;
    write();
    throw new Error(report.runnerError);
  }
  for (const f of files) mocha.addFile(join(__dirname, f));

  const record = (test: Mocha.Test, state: TestOutcome['state'], err?: Error) => {
    report.tests.push({
      title: test.title,
      fullTitle: test.fullTitle(),
      file: test.file,
      state,
      durationMs: test.duration,
      error: err ? { message: err.message, stack: err.stack } : undefined,
    });
  };
  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => {
      const runner = mocha.run((n) => resolve(n));
      runner.on('pass', (t) => record(t, 'passed'));
      runner.on('pending', (t) => record(t, 'pending'));
      // Hooks fail too: report them under the hook's title so nothing is lost.
      runner.on('fail', (t, err: Error) => record(t as Mocha.Test, 'failed', err));
    });
  } catch (e) {
    report.runnerError = e instanceof Error ? (e.stack ?? e.message) : String(e);
    write();
    throw e;
  }
  report.stats = {
    tests: report.tests.length,
    passes: report.tests.filter((t) => t.state === 'passed').length,
    failures: report.tests.filter((t) => t.state === 'failed').length,
    pending: report.tests.filter((t) => t.state === 'pending').length,
  };
  write();
  if (failures > 0 || report.stats.failures > 0)
    throw new Error(`${report.stats.failures} integration test(s) failed`);
  if (report.stats.passes === 0) throw new Error('no integration test passed (none ran?)');
}
