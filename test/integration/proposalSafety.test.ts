import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  replyStep,
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../support/scriptedModelServer';
import {
  closeAllEditors,
  configure,
  lineOf,
  MessageRecorder,
  proposalTabFor,
  proposalText,
  proposalUriOf,
  rejectAllProposals,
  runAt,
  waitFor,
  waitForProposal,
  writeFile,
} from './hostHarness';

// Scenarios in the extension host: what happens to a proposal when the user (or the disk)
// moves on before Approve, generation, odd encodings and documents Anneal cannot work on.

/** A function that uses `sum` from src/math.ts without importing it: the compiler's own fix. */
function missingImport(name: string): string {
  return `/** ${name}: the sum plus one. */\nexport function ${name}(values: number[]): number {\n  return sum(values) + 1;\n}\n`;
}

const typeError = 'export function label(count: number): string {\n  return count;\n}\n';

describe('proposal safety (extension host)', function () {
  this.timeout(120_000);
  let messages: MessageRecorder;
  let server: ScriptedModelServer;
  let n = 0;
  /** A fresh file name per test, so no test sees another's proposal. */
  const fresh = (stem: string) => `src/${stem}${++n}.ts`;

  before(async () => {
    server = await startScriptedModelServer();
    const extension = vscode.extensions.getExtension('anneal-dev.anneal');
    await extension?.activate();
  });

  beforeEach(async () => {
    messages = new MessageRecorder();
    await configure({ provider: 'none', baseUrl: undefined, model: undefined, maxAttempts: undefined });
  });

  afterEach(async () => {
    await rejectAllProposals();
    await closeAllEditors();
    messages.dispose();
  });

  after(async () => {
    await server?.close();
    await configure({ provider: undefined, baseUrl: undefined, model: undefined, maxAttempts: undefined });
  });

  async function proposeMissingImport(
    stem: string,
  ): Promise<{ uri: vscode.Uri; text: string; proposal: vscode.Uri }> {
    const text = missingImport(stem);
    const uri = await writeFile(fresh(stem), text);
    await runAt('anneal.repairFunction', uri, lineOf(text, 'sum(values)'), 10);
    const tab = await waitForProposal(uri);
    assert.match(tab.label, /validated/);
    assert.match(await proposalText(tab), /import \{ sum \} from ["']\.\/math(\.js)?["'];/);
    return { uri, text, proposal: proposalUriOf(tab) };
  }

  it('scenario 4: Approve after the user edited the file refuses, says why, and keeps the edit', async () => {
    const { uri, text } = await proposeMissingImport('edited');
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '// my own note\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const userText = document.getText();

    await vscode.commands.executeCommand('anneal.approveProposal', proposalUriOf(await waitForProposal(uri)));
    const refused = await messages.next(/has changed since Anneal made this proposal/, 'warning');
    assert.match(refused.text, /was not applied/);
    assert.match(refused.text, /Your edits are untouched/);
    assert.deepEqual(refused.items, ['Re-run Anneal', 'Discard Proposal']);
    assert.equal(document.getText(), userText, 'the unsaved edit is intact');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), text, 'nothing was written to disk');
    assert.ok(proposalTabFor(uri), 'the proposal is still pending for review');
  });

  it('trust: a file saved with other content between proposal and Approve is not overwritten', async () => {
    const { uri, proposal } = await proposeMissingImport('saved');
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '// saved note\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const saved = readFileSync(uri.fsPath, 'utf8');

    await vscode.commands.executeCommand('anneal.approveProposal', proposal);
    await messages.next(/has changed since Anneal made this proposal/, 'warning');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), saved);
    assert.equal(document.getText(), saved);
  });

  it('trust: a file renamed between proposal and Approve: Approve refuses, nothing is lost or recreated', async () => {
    const { uri, text, proposal } = await proposeMissingImport('renamed');
    const moved = vscode.Uri.file(uri.fsPath.replace(/\.ts$/, '.moved.ts'));
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(uri, moved);
    assert.ok(await vscode.workspace.applyEdit(rename));
    await waitFor(() => !existsSync(uri.fsPath) && existsSync(moved.fsPath), { message: 'the rename' });

    await vscode.commands.executeCommand('anneal.approveProposal', proposal);
    const said = await waitFor(() => messages.messages.find((m) => m.level !== 'info'), {
      message: 'a warning or error about the missing file',
    });
    assert.doesNotMatch(said.text, /\n\s+at /, 'no stack trace in the message');
    assert.match(said.text, /renamed[0-9]+\.ts no longer exists .*not applied/);
    assert.equal(existsSync(uri.fsPath), false, 'the old path was not recreated');
    assert.equal(readFileSync(moved.fsPath, 'utf8'), text, 'the renamed file is untouched');
  });

  it('trust: a file deleted between proposal and Approve is not recreated by Approve', async () => {
    const { uri, proposal } = await proposeMissingImport('deleted');
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri);
    await waitFor(() => !existsSync(uri.fsPath), { message: 'the delete' });

    await vscode.commands.executeCommand('anneal.approveProposal', proposal);
    assert.equal(existsSync(uri.fsPath), false, 'Approve did not bring the deleted file back');
    const said = await waitFor(() => messages.messages.find((m) => m.level !== 'info'), {
      message: 'a warning or error about the missing file',
    });
    assert.doesNotMatch(said.text, /\n\s+at /, 'no stack trace in the message');
    assert.match(said.text, /deleted[0-9]+\.ts no longer exists .*not applied/);
  });

  it('trust: a CRLF file with a BOM, repaired and approved, keeps CRLF and the BOM', async () => {
    const stem = 'crlfBom';
    const lf = missingImport(stem);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf.replace(/\n/g, '\r\n'))]);
    const uri = await writeFile(fresh(stem), bytes);
    await runAt('anneal.repairFunction', uri, lineOf(lf, 'sum(values)'), 10);
    const tab = await waitForProposal(uri);
    assert.match(tab.label, /validated/);

    await vscode.commands.executeCommand('anneal.approveProposal', proposalUriOf(tab));
    const after = await waitFor(
      () => {
        const b = readFileSync(uri.fsPath);
        return b.includes('import { sum }') && b;
      },
      { message: 'the approved proposal on disk' },
    );
    assert.deepEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
    const body = after.subarray(3).toString('utf8');
    assert.equal(body.startsWith('\ufeff'), false, 'no second BOM');
    assert.doesNotMatch(body, /(?<!\r)\n/, 'every line ends in CRLF');
    assert.match(body, /return sum\(values\) \+ 1;\r\n/);
  });

  it('trust: an untitled (never saved) document gets a clear message and no run', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: missingImport('untitled'),
    });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('anneal.repairFunction');
    const said = await messages.next(/saved in the workspace/);
    assert.match(said.text, /open one in the editor first|save/i);
    assert.equal(document.getText(), missingImport('untitled'));
  });

  it('trust: a second run on the same file while one is in flight is refused clearly', async () => {
    const uri = await writeFile(fresh('twice'), typeError);
    await configure({
      provider: 'openai-compatible',
      baseUrl: server.openaiBaseUrl,
      model: 'scripted-model',
    });
    server.script([
      toolCallStep(
        {
          name: 'patch_file',
          arguments: { old_string: '  return count;', new_string: '  return String(count);' },
        },
        { delayMs: 2500 },
      ),
    ]);
    const before = server.requests.length;
    const first = runAt('anneal.repairFunction', uri, 1, 2);
    await waitFor(() => server.requests.length > before, { message: 'the first run to reach the model' });
    await vscode.commands.executeCommand('anneal.repairFunction', uri, new vscode.Position(1, 2));
    const refused = await messages.next(/already working on/);
    assert.match(refused.text, /Anneal is already working on twice\d+\.ts/);
    await first;
    const tab = await waitForProposal(uri);
    assert.match(await proposalText(tab), /return String\(count\);/);
    assert.equal(server.requests.length, before + 1, 'the second run never reached the model');
  });

  it('scenario 7: Generate Function fills a stub through the model; Approve writes it', async () => {
    const stub =
      "/** Returns the largest value, or undefined for an empty list. */\nexport function largest(xs: number[]): number | undefined {\n  throw new Error('not implemented');\n}\n";
    const uri = await writeFile(fresh('generated'), stub);
    await configure({
      provider: 'openai-compatible',
      baseUrl: server.openaiBaseUrl,
      model: 'scripted-model',
    });
    server.script([
      replyStep(
        'Here it is:\n```typescript\n/** Returns the largest value, or undefined for an empty list. */\nexport function largest(xs: number[]): number | undefined {\n  return xs.length === 0 ? undefined : Math.max(...xs);\n}\n```',
      ),
    ]);
    await runAt('anneal.generateFunction', uri, 2, 4);
    const tab = await waitForProposal(uri);
    assert.match(tab.label, /validated/);
    assert.match(await proposalText(tab), /return xs\.length === 0 \? undefined : Math\.max\(\.\.\.xs\);/);

    await vscode.commands.executeCommand('anneal.approveProposal', proposalUriOf(tab));
    await waitFor(() => readFileSync(uri.fsPath, 'utf8').includes('Math.max(...xs)'), {
      message: 'the generated body on disk',
    });
    const written = readFileSync(uri.fsPath, 'utf8');
    assert.doesNotMatch(written, /not implemented/);
    assert.match(written, /^\/\*\* Returns the largest value/);
    assert.equal(proposalTabFor(uri), undefined, 'the diff closed after Approve');
  });
});
