import * as vscode from 'vscode';

/** The message shown when a command that runs tools is used in an untrusted workspace. */
export const UNTRUSTED_MESSAGE =
  'Anneal runs no tools, tests or models in an untrusted workspace. Trust this workspace to generate or repair code.';
export const MANAGE_TRUST = 'Manage Workspace Trust';

/** True when the workspace is trusted; otherwise explains why nothing runs and offers to manage trust. */
export function ensureTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, MANAGE_TRUST).then((choice) => {
    if (choice === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
