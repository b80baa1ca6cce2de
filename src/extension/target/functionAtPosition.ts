import * as vscode from 'vscode';
import { FindSymbolRequest, FindSymbolResult } from '../../protocol/agentProtocol';
import type { AgentClient } from '../agentHost/agentClient';
import { isStubFunction } from './stubDetection';

/** A function found at the cursor. Lines are 0-based and inclusive. */
export interface FoundFunction {
  /** Qualified through enclosing classes and functions: `Cart.total`. */
  name: string;
  startLine: number;
  endLine: number;
  isStub: boolean;
}

const FUNCTION_KINDS = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
]);
const CONTAINER_KINDS = new Set([
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Namespace,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Object,
]);

/**
 * The innermost function around a position, from the document's symbol provider (any language
 * that has one); with `agent`, falls back to the agent's own parser.
 */
export async function functionAtPosition(
  document: vscode.TextDocument,
  position: vscode.Position,
  agent?: AgentClient,
): Promise<FoundFunction | undefined> {
  const fromSymbols = await fromSymbolProvider(document, position);
  if (fromSymbols || !agent) return fromSymbols;
  const result = await agent.request(
    FindSymbolRequest,
    {
      file: document.uri.fsPath,
      text: document.getText(),
      line: position.line,
      character: position.character,
    },
    { timeoutMs: 30_000, result: FindSymbolResult },
  );
  return result.symbol ?? undefined;
}

async function fromSymbolProvider(
  document: vscode.TextDocument,
  position: vscode.Position,
): Promise<FoundFunction | undefined> {
  let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand<
      (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined
    >('vscode.executeDocumentSymbolProvider', document.uri);
  } catch {
    return undefined;
  }
  if (!symbols || symbols.length === 0) return undefined;
  let best: { symbol: vscode.DocumentSymbol; path: string[] } | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[], path: string[]): void => {
    for (const s of list) {
      if (!s.range.contains(position)) continue;
      if (isFunctionLike(s, document)) best = { symbol: s, path };
      visit(s.children, CONTAINER_KINDS.has(s.kind) ? [...path, cleanName(s.name)] : path);
    }
  };
  if ('children' in symbols[0]!) visit(symbols as vscode.DocumentSymbol[], []);
  else {
    // Flat SymbolInformation: the smallest function-like range around the position.
    const flat = (symbols as vscode.SymbolInformation[])
      .filter((s) => FUNCTION_KINDS.has(s.kind) && s.location.range.contains(position))
      .sort(
        (a, b) =>
          a.location.range.end.line -
          a.location.range.start.line -
          (b.location.range.end.line - b.location.range.start.line),
      );
    const s = flat[0];
    if (s) {
      const name = [s.containerName, cleanName(s.name)].filter(Boolean).join('.');
      return toFound(document, name, s.location.range);
    }
    return undefined;
  }
  if (!best) return undefined;
  return toFound(document, [...best.path, cleanName(best.symbol.name)].join('.'), best.symbol.range);
}

function isFunctionLike(s: vscode.DocumentSymbol, document: vscode.TextDocument): boolean {
  if (FUNCTION_KINDS.has(s.kind)) return true;
  // `const total = (items) => …` is reported as a variable by some providers.
  if (
    s.kind === vscode.SymbolKind.Variable ||
    s.kind === vscode.SymbolKind.Constant ||
    s.kind === vscode.SymbolKind.Property
  ) {
    return /=>|\bfunction\b|\blambda\b/.test(document.getText(s.range));
  }
  return false;
}

/** Some providers put the signature in the name (`total(items)`); keep the identifier. */
function cleanName(name: string): string {
  return name.replace(/\(.*$/s, '').trim();
}

function toFound(document: vscode.TextDocument, name: string, range: vscode.Range): FoundFunction {
  return {
    name,
    startLine: range.start.line,
    endLine: range.end.line,
    isStub: isStubFunction(document.getText(range), document.languageId),
  };
}
