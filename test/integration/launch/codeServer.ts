import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveArtifacts } from '../../e2e/support/artifacts';
import { launchBrowser, newWorkbenchPage } from '../../e2e/support/browser';
import { startCodeServer } from '../../e2e/support/codeServer';
import { extensionDir } from '../../e2e/support/e2eEnv';
import { copyWorkspace } from '../../e2e/support/workspaceCopy';
import { mochaLinePrefix, reportEnvVar } from '../testReport';
import { printReport, readReport } from './reportSummary';

/**
 * Runs the bundled integration suite (dist/test/integration) inside code-server's Node
 * extension host: the smoke-test driver loads the extension from extensionDevelopmentPath and
 * calls the suite's run(), then reports the exit code through window.codeAutomationExit.
 * Resolves to true when the suite passed. Timeout: ANNEAL_E2E_TIMEOUT ms (default 10 min).
 */
export async function runIntegrationTests(): Promise<boolean> {
  const extDir = extensionDir();
  const testsPath = join(extDir, 'dist', 'test', 'integration', 'index.js');
  const scratch = mkdtempSync(join(tmpdir(), 'anneal-e2e-int-'));
  const reportFile = join(scratch, 'report.json');
  const workspace = copyWorkspace();
  const env: Record<string, string> = { [reportEnvVar]: reportFile };
  if (process.env.ANNEAL_E2E_GREP) env.ANNEAL_E2E_GREP = process.env.ANNEAL_E2E_GREP;
  const codeServer = await startCodeServer({ smokeTestDriver: true, env });
  const browser = await launchBrowser();
  let exitCode: number | undefined;
  try {
    const page = await newWorkbenchPage(browser);
    // The in-host mocha prints through the extension host console, forwarded to the page.
    page.on('console', (m) => {
      const text = m.text();
      const at = text.indexOf(mochaLinePrefix);
      if (at >= 0) console.log(text.slice(at + mochaLinePrefix.length));
    });
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const timeoutMs = Number(process.env.ANNEAL_E2E_TIMEOUT ?? 600_000);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    await page.goto(
      codeServer.folderUrl(workspace, [
        ['extensionDevelopmentPath', codeServer.remoteUri(extDir)],
        ['extensionTestsPath', codeServer.remoteUri(testsPath)],
      ]),
      { waitUntil: 'commit' },
    );
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') console.log(`integration: no exit after ${timeoutMs} ms`);
    else exitCode = outcome;

    const report = readReport(reportFile);
    const passed = printReport(report, exitCode);
    if (!passed) {
      const failed = report?.tests.filter((t) => t.state === 'failed') ?? [];
      const titles =
        failed.length > 0 ? failed.map((t) => `integration ${t.fullTitle}`) : ['integration run'];
      for (const title of titles) await saveArtifacts(title, { page, codeServer });
    }
    return passed;
  } finally {
    await browser.close().catch(() => undefined);
    await codeServer.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runIntegrationTests().then(
    (passed) => process.exit(passed ? 0 : 1),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
