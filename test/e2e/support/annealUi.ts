import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { startSession, type Session, type SessionOptions } from './session';
import { waitFor } from './waitFor';
import { chooseContextMenu, editorLine, openFile, waitForWorkbench } from './workbench';

// Anneal's own UI flows on top of the generic workbench helpers: one code-server per spec file,
// a fresh workspace copy per test (opened by navigating the same page), and the places where
// Anneal shows things (proposal diff, title-bar buttons, plan-log webview).

/** Screenshots for the README are taken at this size. */
export const screenshotViewport = { width: 1280, height: 800 } as const;

/**
 * Starts the spec file's session. Old windows' extension hosts end 10 s after the page moves
 * on to the next workspace (code-server keeps them for hours by default).
 */
export async function startAnnealSession(options: SessionOptions = {}): Promise<Session> {
  const session = await startSession({
    ...options,
    args: ['--reconnection-grace-time', '10', ...(options.args ?? [])],
  });
  await session.page.setViewportSize(screenshotViewport);
  return session;
}

/** Opens `workspace` in the session's page (a new window on that folder). */
export async function openWorkspace(session: Session, workspace: string): Promise<void> {
  await session.page.goto(session.codeServer.folderUrl(workspace), { waitUntil: 'commit' });
  await waitForWorkbench(session.page);
  await session.page
    .locator('.explorer-folders-view .monaco-list-row')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
}

/** Opens a file and right-clicks the line containing `lineText`: Anneal → `command`. */
export async function annealFromContextMenu(
  page: Page,
  file: string,
  lineText: string,
  command: 'Repair Function' | 'Generate Function' | 'Repair File',
): Promise<void> {
  await openFile(page, file);
  const line = editorLine(page, lineText);
  await line.waitFor({ state: 'visible', timeout: 20_000 });
  await chooseContextMenu(page, line, 'Anneal', command);
  // A click that lands while the submenu is still opening only highlights the item: the menu
  // stays open with the item focused, and Enter runs it (once; a run that started closed it).
  const menu = page.locator('.context-view .monaco-menu').first();
  try {
    await menu.waitFor({ state: 'hidden', timeout: 3000 });
  } catch {
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5000 });
  }
}

/** The active editor tab (its label is the diff title for a proposal). */
export function activeTab(page: Page): Locator {
  return page.locator('.editor-group-container.active .tabs-container .tab.active').first();
}

/** Waits for the proposal diff of `fileName` to be the active tab and returns its title. */
export async function waitForProposalDiff(page: Page, fileName: string, timeout = 90_000): Promise<string> {
  return waitFor(
    async () => {
      const tabs = await page.locator('.tabs-container .tab').allTextContents();
      const title = tabs.find((t) => t.includes(`${fileName} ↔ Anneal proposal`));
      if (!title) return false;
      return (await page.locator('.monaco-diff-editor').first().isVisible()) && title.trim();
    },
    { timeout, message: `the Anneal proposal diff for ${fileName}` },
  );
}

/** True when no tab shows an Anneal proposal any more. */
export async function proposalDiffClosed(page: Page): Promise<boolean> {
  const tabs = await page.locator('.tabs-container .tab').allTextContents();
  return !tabs.some((t) => t.includes('Anneal proposal'));
}

/** The plan-log webview's document (the only webview these tests open). */
export function planLog(page: Page): FrameLocator {
  return page
    .frameLocator('iframe.webview.ready[src*="anneal-dev.anneal"], iframe.webview.ready')
    .first()
    .frameLocator('iframe#active-frame');
}

/** Reads a workspace file (bytes), for byte-exact checks. */
export function readBytes(workspace: string, relativePath: string): Buffer {
  return readFileSync(join(workspace, relativePath));
}

export function readText(workspace: string, relativePath: string): string {
  return readFileSync(join(workspace, relativePath), 'utf8');
}
