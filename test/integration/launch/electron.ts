// `npm run test:vscode`: the same bundled integration suite in desktop VS Code, downloaded by
// @vscode/test-electron (needs internet; this project's CI uses the code-server launcher).
// VSCODE_TEST_VERSION picks the build (default stable); VSCODE_EXECUTABLE_PATH uses an installed one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { deterministicSettings } from '../../e2e/support/codeServer';
import { extensionDir } from '../../e2e/support/e2eEnv';
import { copyWorkspace } from '../../e2e/support/workspaceCopy';
import { reportEnvVar } from '../testReport';
import { printReport, readReport } from './reportSummary';

async function main(): Promise<boolean> {
  const extDir = extensionDir();
  const scratch = mkdtempSync(join(tmpdir(), 'anneal-vscode-'));
  try {
    const userDataDir = join(scratch, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(deterministicSettings, null, 2));
    const reportFile = join(scratch, 'report.json');
    let exitCode: number | undefined;
    try {
      exitCode = await runTests({
        extensionDevelopmentPath: extDir,
        extensionTestsPath: join(extDir, 'dist', 'test', 'integration', 'index.js'),
        extensionTestsEnv: { [reportEnvVar]: reportFile, ANNEAL_E2E_GREP: process.env.ANNEAL_E2E_GREP },
        launchArgs: [
          copyWorkspace(),
          '--user-data-dir',
          userDataDir,
          '--extensions-dir',
          join(scratch, 'extensions'),
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
        ],
        ...(process.env.VSCODE_EXECUTABLE_PATH
          ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH }
          : { version: process.env.VSCODE_TEST_VERSION ?? 'stable' }),
      });
    } catch (e) {
      // runTests rejects on a non-zero exit; the report (if any) says why.
      console.error(e instanceof Error ? e.message : e);
    }
    return printReport(readReport(reportFile), exitCode);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
