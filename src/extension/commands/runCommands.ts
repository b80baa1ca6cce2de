import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunTarget } from '../../protocol/agentProtocol';
import type { AnnealServices } from '../annealServices';
import type { RunSpec } from '../runs/runController';
import { functionAtPosition, type FoundFunction } from '../target/functionAtPosition';
import { ensureTrusted } from '../trust/workspaceTrust';

/** Languages the agent's own parser understands; elsewhere a function is sent as a line range. */
const AGENT_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python']);

/** Where a command acts: the editor (or the URI a menu passes) and the position. */
interface Location {
  document: vscode.TextDocument;
  position: vscode.Position;
  selection?: vscode.Selection;
}

/** anneal.generateFunction: write the body of the function at the cursor (or from an instruction). */
export function generateFunction(s: AnnealServices) {
  return async (uri?: unknown, position?: unknown): Promise<void> => {
    if (!ensureTrusted()) return;
    const at = await locate(uri, position);
    if (!at) return;
    const fn = await findFunction(s, at);
    if (fn) return s.runs.run(functionSpec(at.document, fn, 'generate'));
    const instruction = await vscode.window.showInputBox({
      title: 'Anneal: Generate Function',
      prompt: 'No function at the cursor. Describe the function to generate here.',
      placeHolder: 'e.g. a function that returns the total price of the cart items',
      ignoreFocusOut: true,
    });
    if (!instruction) return;
    const line =
      at.selection && !at.selection.isEmpty ? at.selection : new vscode.Range(at.position, at.position);
    return s.runs.run({
      uri: at.document.uri,
      goal: 'generate',
      target: rangeTarget(line),
      instruction,
      label: `code at line ${line.start.line + 1}`,
    });
  };
}

/** anneal.repairFunction: repair the function at the cursor; the whole file when there is none. */
export function repairFunction(s: AnnealServices) {
  return async (uri?: unknown, position?: unknown): Promise<void> => {
    if (!ensureTrusted()) return;
    const at = await locate(uri, position);
    if (!at) return;
    const fn = await findFunction(s, at);
    if (fn) return s.runs.run(functionSpec(at.document, fn, 'repair'));
    void vscode.window.setStatusBarMessage(
      'Anneal: no function at the cursor; repairing the whole file',
      5000,
    );
    return s.runs.run(fileSpec(at.document.uri));
  };
}

/** anneal.repairSelection: repair the selected lines. */
export function repairSelection(s: AnnealServices) {
  return async (): Promise<void> => {
    if (!ensureTrusted()) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isFileDocument(editor.document)) return void noEditorMessage();
    const selection = editor.selection;
    const target = rangeTarget(selection);
    if (target.kind !== 'range') return;
    return s.runs.run({
      uri: editor.document.uri,
      goal: 'repair',
      target,
      label:
        target.startLine === target.endLine
          ? `line ${target.startLine + 1}`
          : `lines ${target.startLine + 1}–${target.endLine + 1}`,
    });
  };
}

/** anneal.repairFile: the active editor's file, or the one chosen in the Explorer. */
export function repairFile(s: AnnealServices) {
  return async (uri?: unknown): Promise<void> => {
    if (!ensureTrusted()) return;
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file') return void noEditorMessage();
    return s.runs.run(fileSpec(target));
  };
}

function fileSpec(uri: vscode.Uri): RunSpec {
  return { uri, goal: 'repair', target: { kind: 'file' }, label: basename(uri.fsPath) };
}

function functionSpec(
  document: vscode.TextDocument,
  fn: FoundFunction,
  goal: 'repair' | 'generate',
): RunSpec {
  const target: RunTarget = AGENT_LANGUAGES.has(document.languageId)
    ? { kind: 'symbol', name: fn.name }
    : { kind: 'range', startLine: fn.startLine, endLine: fn.endLine };
  return { uri: document.uri, goal, target, label: fn.name };
}

/** A selection as inclusive 0-based lines; a selection ending at column 0 stops on the line before. */
function rangeTarget(range: vscode.Range): RunTarget {
  const endLine =
    range.end.line > range.start.line && range.end.character === 0 ? range.end.line - 1 : range.end.line;
  return { kind: 'range', startLine: range.start.line, endLine };
}

async function findFunction(s: AnnealServices, at: Location): Promise<FoundFunction | undefined> {
  try {
    return await functionAtPosition(at.document, at.position, s.client);
  } catch (e) {
    s.log.warn(`could not locate a function: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** From command arguments (code actions pass uri and position) or the active editor. */
async function locate(uri: unknown, position: unknown): Promise<Location | undefined> {
  if (uri instanceof vscode.Uri && position instanceof vscode.Position) {
    const document = await vscode.workspace.openTextDocument(uri);
    return { document, position };
  }
  const editor = vscode.window.activeTextEditor;
  if (uri instanceof vscode.Uri && editor?.document.uri.toString() !== uri.toString()) {
    const document = await vscode.workspace.openTextDocument(uri);
    return isFileDocument(document) ? { document, position: new vscode.Position(0, 0) } : undefined;
  }
  if (!editor || !isFileDocument(editor.document)) {
    noEditorMessage();
    return undefined;
  }
  return { document: editor.document, position: editor.selection.active, selection: editor.selection };
}

function isFileDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file';
}

function noEditorMessage(): void {
  void vscode.window.showInformationMessage(
    'Anneal works on a file saved in the workspace: open one in the editor first.',
  );
}
