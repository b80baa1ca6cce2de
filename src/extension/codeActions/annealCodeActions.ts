import * as vscode from 'vscode';
import { functionAtPosition } from '../target/functionAtPosition';

/**
 * "Repair with Anneal" as a quick fix on any diagnostic, and "Generate with Anneal" on a function
 * whose body is empty or a placeholder. Uses only the editor's symbols: asking for code actions
 * must not start the agent host.
 */
export class AnnealCodeActions implements vscode.CodeActionProvider {
  static readonly generateKind = vscode.CodeActionKind.RefactorRewrite.append('anneal');
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, AnnealCodeActions.generateKind],
  };

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (document.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return [];
    const actions: vscode.CodeAction[] = [];
    const wanted = (kind: vscode.CodeActionKind): boolean =>
      !context.only || context.only.contains(kind) || kind.contains(context.only);
    // Diagnostics from any source, Anneal's own included: a run may leave errors worth another try.
    const diagnostics = context.diagnostics;
    if (diagnostics.length > 0 && wanted(vscode.CodeActionKind.QuickFix)) {
      const action = new vscode.CodeAction('Repair with Anneal', vscode.CodeActionKind.QuickFix);
      action.diagnostics = [...diagnostics];
      action.command = {
        command: 'anneal.repairFunction',
        title: 'Repair with Anneal',
        arguments: [document.uri, diagnostics[0]!.range.start],
      };
      actions.push(action);
    }
    if (wanted(AnnealCodeActions.generateKind)) {
      const fn = await functionAtPosition(document, range.start);
      if (!token.isCancellationRequested && fn?.isStub) {
        const action = new vscode.CodeAction('Generate with Anneal', AnnealCodeActions.generateKind);
        action.command = {
          command: 'anneal.generateFunction',
          title: 'Generate with Anneal',
          arguments: [document.uri, range.start],
        };
        actions.push(action);
      }
    }
    return actions;
  }
}
