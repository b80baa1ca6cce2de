import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('extension smoke', () => {
  it('is installed and activates', async () => {
    const extension = vscode.extensions.getExtension('anneal-dev.anneal');
    assert.ok(extension, 'anneal-dev.anneal is not among the loaded extensions');
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('sees the test workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0]?.name, 'e2e-workspace');
  });
});
