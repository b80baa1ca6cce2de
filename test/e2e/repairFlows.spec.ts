import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  replyStep,
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../support/scriptedModelServer';
import {
  activeTab,
  annealFromContextMenu,
  openWorkspace,
  planLog,
  proposalDiffClosed,
  readBytes,
  readText,
  startAnnealSession,
  waitForProposalDiff,
} from './support/annealUi';
import { repoRoot } from './support/e2eEnv';
import type { Session } from './support/session';
import { waitFor } from './support/waitFor';
import {
  diffModifiedLines,
  diffOriginalLines,
  editorLines,
  editorTitleButton,
  lineTexts,
  openFile,
  problemsRows,
  runCommand,
} from './support/workbench';
import { copyWorkspace } from './support/workspaceCopy';

// What a person sees when Anneal repairs a function: the editor's context menu, the proposal in
// the diff editor, its title-bar buttons, the Problems panel and the plan-log panel.

const imagesDir = join(repoRoot, 'docs', 'images');

const missingImport = `/** Sum plus one. */
export function withHouse(values: number[]): number {
  return sum(values) + 1;
}
`;

const typeError = `/** A label for a count of items. */
export function label(count: number): string {
  return count;
}
`;

/** Two type errors in one function: the model fixes one and then gives up on the other. */
const twoErrors = `export function describe(count: number, unit: string): string {
  const amount: string = count;
  const suffix: number = unit;
  return amount + suffix;
}
`;

/** Two separate mistakes far apart in one file: one proposal, two hunks. */
const twoHunks = `export function first(count: number): string {
  return count;
}

export function middle(a: number, b: number): number {
  const total = a + b;
  const doubled = total * 2;
  const halved = doubled / 2;
  return halved;
}

export function last(flag: boolean): string {
  return flag;
}
`;

describe('repair flows in the workbench', () => {
  let session: Session;
  let server: ScriptedModelServer;
  const modelSettings = () => ({
    'anneal.provider': 'openai-compatible',
    'anneal.baseUrl': server.openaiBaseUrl,
    'anneal.model': 'scripted-model',
  });

  before(async () => {
    server = await startScriptedModelServer();
    session = await startAnnealSession();
  });

  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('scenario 1: right-click → Anneal → Repair Function fixes a missing import; Approve saves; Undo restores', async () => {
    const workspace = copyWorkspace(undefined, {
      files: { 'src/house.ts': missingImport },
      settings: { 'anneal.provider': 'none' },
    });
    await openWorkspace(session, workspace);
    const { page } = session;
    await annealFromContextMenu(page, 'src/house.ts', 'return sum(values)', 'Repair Function');

    const title = await waitForProposalDiff(page, 'house.ts');
    assert.match(title, /house\.ts ↔ Anneal proposal \(✓ validated\)/);
    const proposed = await waitFor(
      async () => {
        const lines = await lineTexts(diffModifiedLines(page));
        return lines.some((l) => /import \{ sum \} from ["']\.\/math(\.js)?["'];/.test(l)) && lines;
      },
      { message: 'the import on the proposal side' },
    );
    assert.ok(proposed.some((l) => l.includes('return sum(values) + 1;')));
    const original = await lineTexts(diffOriginalLines(page));
    assert.ok(!original.some((l) => l.includes('import {')), 'the file side has no import yet');
    await editorTitleButton(page, 'Approve Proposal').waitFor({ state: 'visible' });
    await editorTitleButton(page, 'Reject Proposal').waitFor({ state: 'visible' });
    mkdirSync(imagesDir, { recursive: true });
    await page.screenshot({ path: join(imagesDir, 'scenario-1-diff.png') });
    assert.equal(readText(workspace, 'src/house.ts'), missingImport, 'nothing written before Approve');

    await editorTitleButton(page, 'Approve Proposal').click();
    await waitFor(() => proposalDiffClosed(page), { message: 'the diff to close after Approve' });
    const saved = await waitFor(
      () => {
        const text = readText(workspace, 'src/house.ts');
        return text !== missingImport && text;
      },
      { message: 'the approved file on disk' },
    );
    assert.match(saved, /^import \{ sum \} from ["']\.\/math(\.js)?["'];\n/);
    assert.ok(saved.endsWith(missingImport), 'the rest of the file is unchanged');
    // Saved as the user expects: the editor is in front and not dirty.
    await waitFor(async () => (await activeTab(page).textContent())?.includes('house.ts'), {
      message: 'house.ts in front',
    });
    assert.equal(await activeTab(page).evaluate((el) => el.classList.contains('dirty')), false);

    await editorLines(page).filter({ hasText: 'return sum(values)' }).first().click();
    await page.keyboard.press('Control+Z');
    await waitFor(
      async () => {
        const lines = await lineTexts(editorLines(page));
        return !lines.some((l) => l.includes('import {')) && lines.some((l) => l.includes('withHouse'));
      },
      { message: 'Undo to take the import back out' },
    );
    await page.keyboard.press('Control+S');
    await waitFor(() => readText(workspace, 'src/house.ts') === missingImport, {
      message: 'the undone text saved',
    });
  });

  it('scenario 2: Repair Function with the model streams plan steps into the panel; Reject leaves the file byte-identical', async () => {
    const workspace = copyWorkspace(undefined, {
      files: { 'src/label.ts': typeError },
      settings: modelSettings(),
    });
    const before = readBytes(workspace, 'src/label.ts');
    await openWorkspace(session, workspace);
    const { page } = session;
    // The panel opens beside the editor, so it stays in view while the run streams into it.
    await openFile(page, 'src/label.ts');
    await runCommand(page, 'Anneal: Show Plan Log');
    await planLog(page).locator('[data-testid="empty"]').waitFor({ state: 'visible', timeout: 30_000 });

    server.script([
      toolCallStep(
        {
          name: 'patch_file',
          arguments: { old_string: '  return count;', new_string: '  return String(count);' },
        },
        { delayMs: 4000 },
      ),
    ]);
    await annealFromContextMenu(page, 'src/label.ts', 'return count;', 'Repair Function');
    // While the model "thinks", the panel already shows the run and its finished steps.
    const panel = planLog(page);
    await panel.locator('[data-testid="verdict"][data-verdict="running"]').waitFor({ timeout: 60_000 });
    await panel.locator('[data-testid="step"][data-status="done"]').first().waitFor({ timeout: 30_000 });
    const midRun = await panel.locator('[data-testid="step"]').allTextContents();
    assert.ok(midRun.length >= 2, `steps while running: ${JSON.stringify(midRun)}`);

    const title = await waitForProposalDiff(page, 'label.ts');
    assert.match(title, /✓ validated/);
    await panel.locator('[data-testid="verdict"][data-verdict="validated"]').waitFor({ timeout: 30_000 });
    const steps = await panel.locator('[data-testid="step"]').count();
    assert.ok(steps >= midRun.length, 'the final plan keeps the streamed steps');
    assert.equal(await panel.locator('[data-testid="step"][data-status="running"]').count(), 0);
    await waitFor(
      async () => (await lineTexts(diffModifiedLines(page))).some((l) => l.includes('return String(count);')),
      { message: 'the fix on the proposal side' },
    );

    await editorTitleButton(page, 'Reject Proposal').click();
    await waitFor(() => proposalDiffClosed(page), { message: 'the diff to close after Reject' });
    assert.deepEqual(readBytes(workspace, 'src/label.ts'), before, 'byte-identical after Reject');
  });

  it('scenario 3: when errors remain, Problems lists them from "Anneal" and the panel shows each attempt and the budget', async () => {
    const workspace = copyWorkspace(undefined, {
      files: { 'src/describe.ts': twoErrors },
      settings: { ...modelSettings(), 'anneal.maxAttempts': 2 },
    });
    await openWorkspace(session, workspace);
    const { page } = session;
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: {
          old_string: '  const amount: string = count;',
          new_string: '  const amount: string = String(count);',
        },
      }),
      replyStep('I cannot see how to fix the remaining error.'),
    ]);
    server.fallback(() => replyStep('I cannot see how to fix the remaining error.'));
    try {
      await annealFromContextMenu(page, 'src/describe.ts', 'const suffix', 'Repair Function');
      const title = await waitForProposalDiff(page, 'describe.ts');
      assert.match(title, /✗ 1 error remains/);
    } finally {
      server.fallback(undefined);
    }
    const panel = planLog(page);
    await panel.locator('[data-testid="verdict"][data-verdict="errors_remain"]').waitFor({ timeout: 30_000 });
    const attempts = await panel.locator('[data-testid="attempt-errors"]').allTextContents();
    assert.deepEqual(
      attempts.map((a) => a.trim()),
      ['2 → 1', '1 → 1'],
    );
    const budget = (await panel.locator('[data-testid="budget-attempts"]').textContent()) ?? '';
    assert.match(budget, /2 \/ 2/);
    const tokens = (await panel.locator('[data-testid="budget-tokens"]').textContent()) ?? '';
    assert.match(tokens, /Tokens\s*[\d.,]+k? \/ 60(,|\.)?0*k?/i);

    const rows = await problemsRows(page);
    const annealRows = await waitFor(
      async () => {
        const texts = await rows.allTextContents();
        const ours = texts.filter((t) => /Anneal/.test(t) && /not assignable/.test(t));
        return ours.length > 0 && ours;
      },
      { message: 'Problems rows from Anneal' },
    );
    assert.ok(annealRows.some((t) => /Type 'string' is not assignable to type 'number'/.test(t)));
    assert.ok(
      !annealRows.some((t) => /Type 'number' is not assignable to type 'string'/.test(t)),
      'the fixed error is gone',
    );
    mkdirSync(imagesDir, { recursive: true });
    await page.screenshot({ path: join(imagesDir, 'scenario-3-problems.png') });
    await editorTitleButton(page, 'Reject Proposal').click();
    await waitFor(() => proposalDiffClosed(page), { message: 'the diff to close' });
  });

  it('scenario 5: a two-hunk proposal: Approve Hunk applies exactly one; the other stays pending and Reject Hunk drops it', async () => {
    const workspace = copyWorkspace(undefined, {
      files: { 'src/hunks.ts': twoHunks },
      settings: modelSettings(),
    });
    await openWorkspace(session, workspace);
    const { page } = session;
    server.script([
      toolCallStep([
        {
          name: 'patch_file',
          arguments: { old_string: '  return count;', new_string: '  return String(count);' },
        },
        {
          name: 'patch_file',
          arguments: { old_string: '  return flag;', new_string: "  return flag ? 'yes' : 'no';" },
        },
      ]),
    ]);
    await annealFromContextMenu(page, 'src/hunks.ts', 'export function middle', 'Repair File');
    const title = await waitForProposalDiff(page, 'hunks.ts');
    assert.match(title, /✓ validated/);

    await editorTitleButton(page, 'Approve Hunk').click();
    const firstOnly = twoHunks.replace('  return count;', '  return String(count);');
    await waitFor(() => readText(workspace, 'src/hunks.ts') === firstOnly, {
      message: 'exactly the first hunk on disk',
    });
    // The second hunk is still proposed: the file side has the first fix, the proposal the second.
    await waitFor(
      async () => {
        const original = await lineTexts(diffOriginalLines(page));
        const modified = await lineTexts(diffModifiedLines(page));
        return (
          original.some((l) => l.includes('return String(count);')) &&
          original.some((l) => l.includes('return flag;')) &&
          modified.some((l) => l.includes("return flag ? 'yes' : 'no';"))
        );
      },
      { message: 'the diff to show only the second hunk' },
    );
    assert.ok(!(await proposalDiffClosed(page)), 'the proposal is still pending');

    await editorTitleButton(page, 'Reject Hunk').click();
    await waitFor(() => proposalDiffClosed(page), { message: 'the proposal to end with no hunks left' });
    assert.equal(readText(workspace, 'src/hunks.ts'), firstOnly, 'the rejected hunk was never written');
  });
});
