import * as assert from 'node:assert/strict';
import { startSession, type Session } from './support/session';
import { waitFor } from './support/waitFor';
import {
  chooseContextMenu,
  diffEditor,
  diffModifiedLines,
  diffOriginalLines,
  editorLine,
  lineTexts,
  notificationMessages,
  openFile,
  reloadWindow,
  runCommand,
  webviewFrame,
} from './support/workbench';
import { copyWorkspace, writeWorkspaceSettings } from './support/workspaceCopy';

// Exercises the DOM helpers against built-in workbench features, so a selector that breaks
// with a code-server bump fails here rather than inside a scenario test.
describe('harness helpers', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      workspace: copyWorkspace(undefined, { settings: { 'editor.fontSize': 14 } }),
    });
  });

  after(async () => {
    await session?.close();
  });

  it('opens a file and reads its lines', async () => {
    await openFile(session.page, 'src/math.ts');
    await editorLine(session.page, 'export function mean').waitFor({ state: 'visible' });
  });

  it('picks an editor context-menu item', async () => {
    await chooseContextMenu(
      session.page,
      editorLine(session.page, 'export function sum'),
      'Command Palette...',
    );
    await session.page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    await session.page.keyboard.press('Escape');
  });

  it('shows a diff and reads both sides', async () => {
    await editorLine(session.page, 'let total = 0;').click();
    await session.page.keyboard.press('End');
    await session.page.keyboard.type(' // edited');
    await runCommand(session.page, 'File: Compare Active File with Saved');
    await diffEditor(session.page).waitFor({ state: 'visible' });
    const modified = await waitFor(async () => {
      const lines = await lineTexts(diffModifiedLines(session.page));
      return lines.some((l) => l.includes('// edited')) && lines;
    });
    assert.ok(modified.some((l) => l.includes('let total = 0; // edited')));
    await waitFor(
      async () =>
        (await lineTexts(diffOriginalLines(session.page))).some((l) => l.trim() === 'let total = 0;'),
      {
        message: 'the unedited line on the original side',
      },
    );
    await runCommand(session.page, 'File: Revert File');
  });

  it('reads a webview (Markdown preview)', async () => {
    await openFile(session.page, 'README.md');
    await runCommand(session.page, 'Markdown: Open Preview');
    const heading = webviewFrame(session.page).locator('h1');
    await heading.waitFor({ state: 'visible' });
    assert.equal((await heading.textContent())?.trim(), 'e2e-workspace');
  });

  it('opens the notifications center', async () => {
    const messages = await notificationMessages(session.page);
    assert.ok(Array.isArray(messages));
  });

  it('applies workspace settings written while open', async () => {
    writeWorkspaceSettings(session.workspace, { 'workbench.statusBar.visible': false });
    await session.page.locator('.part.statusbar').waitFor({ state: 'hidden' });
    writeWorkspaceSettings(session.workspace, { 'workbench.statusBar.visible': true });
    await session.page.locator('.part.statusbar').waitFor({ state: 'visible' });
  });

  it('reloads the window', async () => {
    await reloadWindow(session.page);
    await openFile(session.page, 'src/math.ts');
  });
});

describe('harness: workspace trust enabled', () => {
  let session: Session;

  before(async () => {
    session = await startSession({ workspaceTrust: true });
  });

  after(async () => {
    await session?.close();
  });

  it('opens the folder in Restricted Mode', async () => {
    await session.page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'visible' });
  });
});
