import { basename } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { saveArtifacts } from './artifacts';
import { launchBrowser, newWorkbenchPage } from './browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { installedExtensionsDir } from './extensionPackage';
import { copyWorkspace } from './workspaceCopy';
import { waitForWorkbench } from './workbench';

export interface SessionOptions extends CodeServerOptions {
  /** Folder to open; default: a fresh copy of test/fixtures/e2e-workspace. */
  workspace?: string;
  /** Install the packaged extension (default true). */
  installExtension?: boolean;
}

/** code-server + Chromium page showing the workbench on a folder, with the extension installed. */
export interface Session {
  readonly codeServer: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly workspace: string;
  close(): Promise<void>;
}

const live = new Set<Session>();

/** Sessions not closed yet (the mocha hooks save their artifacts when a test fails). */
export function liveSessions(): Session[] {
  return [...live];
}

/**
 * Starts a session and waits for `.monaco-workbench`. Close it in `after()`; the root hooks in
 * mochaHooks.ts close leftovers and save artifacts of failed tests.
 */
export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const workspace = options.workspace ?? copyWorkspace();
  const extensionsDir =
    options.extensionsDir ??
    (options.installExtension === false ? undefined : await installedExtensionsDir());
  const codeServer = await startCodeServer({ ...options, extensionsDir });
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    browser = await launchBrowser();
    page = await newWorkbenchPage(browser);
    const session: Session = {
      codeServer,
      browser,
      page,
      workspace,
      async close() {
        live.delete(session);
        await browser?.close().catch(() => undefined);
        await codeServer.stop();
      },
    };
    live.add(session);
    // 'load' waits for every resource; the workbench selector is the readiness signal.
    await page.goto(codeServer.folderUrl(workspace), { waitUntil: 'commit' });
    await waitForWorkbench(page);
    return session;
  } catch (e) {
    // No test owns this failure yet (it usually happens in a before hook): name it after the start.
    await saveArtifacts(`startSession ${basename(workspace)} ${new Date().toISOString()}`, {
      page,
      codeServer,
    });
    for (const s of live) if (s.codeServer === codeServer) live.delete(s);
    await browser?.close().catch(() => undefined);
    await codeServer.stop();
    throw e;
  }
}
