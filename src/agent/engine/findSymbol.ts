import { extname } from 'node:path';
import type { FindSymbolParams, FindSymbolResult } from '../../protocol/agentProtocol';
import { findPythonFunction, pythonFunctionAt } from './pythonSymbols';
import { findTsFunction, tsFunctionAt } from './tsSymbols';

/** A located function: 0-based inclusive lines. */
export interface LocatedSymbol {
  name: string;
  startLine: number;
  endLine: number;
  isStub: boolean;
}

export function isPython(file: string): boolean {
  return extname(file).toLowerCase() === '.py';
}

/** The function named `name` in `text`, for any supported language. */
export function locateByName(file: string, text: string, name: string): LocatedSymbol | null {
  if (isPython(file)) {
    const f = findPythonFunction(text, name);
    return f ? { name: f.qualifiedName, startLine: f.startLine, endLine: f.endLine, isStub: f.isStub } : null;
  }
  const f = findTsFunction(file, text, name);
  return f ? { name: f.qualifiedName, startLine: f.startLine, endLine: f.endLine, isStub: f.isStub } : null;
}

/** The innermost function containing `line`. */
export function locateAt(file: string, text: string, line: number): LocatedSymbol | null {
  if (isPython(file)) {
    const f = pythonFunctionAt(text, line);
    return f ? { name: f.qualifiedName, startLine: f.startLine, endLine: f.endLine, isStub: f.isStub } : null;
  }
  const f = tsFunctionAt(file, text, line);
  return f ? { name: f.qualifiedName, startLine: f.startLine, endLine: f.endLine, isStub: f.isStub } : null;
}

/** agent/findSymbol: the agent's own parser, used when the editor has no symbol provider. */
export function findSymbol(params: FindSymbolParams): FindSymbolResult {
  return { symbol: locateAt(params.file, params.text, params.line) };
}
