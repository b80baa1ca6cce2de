import * as assert from 'node:assert/strict';
import {
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../support/scriptedModelServer';
import {
  annealFromContextMenu,
  openWorkspace,
  proposalDiffClosed,
  readText,
  startAnnealSession,
  waitForProposalDiff,
} from './support/annealUi';
import type { Session } from './support/session';
import { waitFor } from './support/waitFor';
import {
  diffModifiedLines,
  editorTitleButton,
  lineTexts,
  openFile,
  reloadWindow,
  runCommand,
} from './support/workbench';
import { copyWorkspace } from './support/workspaceCopy';

// Anneal from a TypeScript diagnostic's quick fix, and proposals that outlive a window reload.

const typeError = `/** A label for a count of items. */
export function label(count: number): string {
  return count;
}
`;

const missingImport = `/** The mean of the values, rounded. */
export function roundedMean(values: number[]): number {
  return Math.round(mean(values));
}
`;

describe('quick fix and reload', () => {
  let session: Session;
  let server: ScriptedModelServer;

  before(async () => {
    server = await startScriptedModelServer();
    session = await startAnnealSession();
  });

  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('scenario 8: the quick fix "Repair with Anneal" appears on a TypeScript error and starts a run', async () => {
    const workspace = copyWorkspace(undefined, {
      files: { 'src/label.ts': typeError },
      settings: {
        'anneal.provider': 'openai-compatible',
        'anneal.baseUrl': server.openaiBaseUrl,
        'anneal.model': 'scripted-model',
      },
    });
    await openWorkspace(session, workspace);
    const { page } = session;
    await openFile(page, 'src/label.ts');
    // TypeScript's own diagnostic, from the built-in TypeScript extension.
    await page
      .locator('.monaco-editor .squiggly-error')
      .first()
      .waitFor({ state: 'attached', timeout: 90_000 });
    await runCommand(page, 'Go to Next Problem (Error, Warning, Info)');
    await page.keyboard.press('Escape');
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: { old_string: '  return count;', new_string: '  return String(count);' },
      }),
    ]);
    const before = server.requests.length;
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Repair with Anneal' }).first();
    await item.waitFor({ state: 'visible', timeout: 20_000 });
    await item.click();

    const title = await waitForProposalDiff(page, 'label.ts');
    assert.match(title, /✓ validated/);
    assert.ok(server.requests.length > before, 'the run reached the model');
    await waitFor(
      async () => (await lineTexts(diffModifiedLines(page))).some((l) => l.includes('return String(count);')),
      { message: 'the fix on the proposal side' },
    );
    await editorTitleButton(page, 'Reject Proposal').click();
    await waitFor(() => proposalDiffClosed(page), { message: 'the diff to close' });
  });

  it('scenario 9: a pending proposal survives a window reload and can still be approved', async () => {
    const workspace = copyWorkspace(undefined, {
      files: { 'src/rounded.ts': missingImport },
      settings: { 'anneal.provider': 'none' },
    });
    await openWorkspace(session, workspace);
    const { page } = session;
    await annealFromContextMenu(page, 'src/rounded.ts', 'Math.round(mean', 'Repair Function');
    assert.match(await waitForProposalDiff(page, 'rounded.ts'), /✓ validated/);

    await reloadWindow(page);
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Anneal: Show Proposals');
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'rounded.ts' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /validated/);
    await row.click();
    await waitForProposalDiff(page, 'rounded.ts');
    await waitFor(
      async () => (await lineTexts(diffModifiedLines(page))).some((l) => l.includes('import { mean }')),
      { message: 'the restored proposal text' },
    );
    await editorTitleButton(page, 'Approve Proposal').click();
    const saved = await waitFor(
      () => {
        const text = readText(workspace, 'src/rounded.ts');
        return text !== missingImport && text;
      },
      { message: 'the approved file on disk' },
    );
    assert.match(saved, /^import \{ mean \} from ["']\.\/math(\.js)?["'];\n/);
    assert.ok(saved.endsWith(missingImport));
  });
});
