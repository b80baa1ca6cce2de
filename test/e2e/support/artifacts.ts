import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { resultsRoot } from './e2eEnv';

/** A test title as a folder name under test-results/. */
export function artifactDirName(title: string): string {
  return (
    title
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'unnamed'
  );
}

/**
 * Saves what explains a failure into `test-results/<title>/`: a screenshot of the page, the
 * extension host log(s), the whole VS Code log folder and code-server's stdout/stderr.
 * Never throws (it runs while a test is already failing); returns the folder.
 */
export async function saveArtifacts(
  title: string,
  parts: { page?: Page; codeServer?: CodeServer },
): Promise<string> {
  const dir = join(resultsRoot, artifactDirName(title));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { page, codeServer } = parts;
  if (page && !page.isClosed()) {
    try {
      await page.screenshot({ path: join(dir, 'screenshot.png'), fullPage: true, timeout: 10_000 });
    } catch (e) {
      console.log(`[artifacts] no screenshot: ${(e as Error).message}`);
    }
  }
  if (codeServer) {
    const copy = (from: string, to: string) => {
      try {
        if (existsSync(from)) copyFileSync(from, join(dir, to));
      } catch (e) {
        console.log(`[artifacts] could not copy ${from}: ${(e as Error).message}`);
      }
    };
    copy(codeServer.stdoutLog, 'code-server.stdout.log');
    copy(codeServer.stderrLog, 'code-server.stderr.log');
    codeServer
      .exthostLogs()
      .forEach((log, i) => copy(log, i === 0 ? 'remoteexthost.log' : `remoteexthost-${i + 1}.log`));
    try {
      const logs = join(codeServer.userDataDir, 'logs');
      if (existsSync(logs)) cpSync(logs, join(dir, 'vscode-logs'), { recursive: true });
    } catch (e) {
      console.log(`[artifacts] could not copy VS Code logs: ${(e as Error).message}`);
    }
  }
  console.log(`[artifacts] saved to ${dir}`);
  return dir;
}

/** Saves a screenshot as `test-results/<folder>/<name>.png` (for passing tests too) and returns it. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(resultsRoot, artifactDirName(folder));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${artifactDirName(name)}.png`);
  await page.screenshot({ path: file });
  return file;
}
