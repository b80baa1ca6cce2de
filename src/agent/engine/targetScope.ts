import type { RunTarget } from '../../protocol/agentProtocol';
import type { ValidationReport } from '../../protocol/reports';
import { AnnealError } from '../annealError';
import { lineMapper } from '../edits/lineMap';
import { isPython, locateByName, type LocatedSymbol } from './findSymbol';
import { tsFunctions } from './tsSymbols';
import { pythonFunctions } from './pythonSymbols';

/** Where the target sits in a given text: 0-based inclusive lines, or the whole file. */
export interface TargetSpan {
  startLine: number;
  endLine: number;
  whole: boolean;
  /** Function name, for symbol targets. */
  name?: string;
}

/** Describes a target for logs and prompts. */
export function describeTarget(target: RunTarget): string {
  switch (target.kind) {
    case 'file':
      return 'whole file';
    case 'symbol':
      return `function ${target.name}`;
    case 'range':
      return `lines ${target.startLine + 1}–${target.endLine + 1}`;
  }
}

function names(file: string, text: string): string[] {
  const all = isPython(file)
    ? pythonFunctions(text).map((f) => f.qualifiedName)
    : tsFunctions(file, text).map((f) => f.qualifiedName);
  return [...new Set(all)];
}

/**
 * Follows a target across edits: symbols by name (re-parsed in each text), ranges by mapping
 * their lines through the diff from the base text.
 */
export class TargetScope {
  constructor(
    readonly file: string,
    readonly target: RunTarget,
    readonly baseText: string,
  ) {}

  /** Fails with a helpful message when the target does not exist in the base text. */
  static create(file: string, target: RunTarget, baseText: string): TargetScope {
    const scope = new TargetScope(file, target, baseText);
    if (target.kind === 'symbol' && !locateByName(file, baseText, target.name)) {
      const available = names(file, baseText);
      throw new AnnealError(
        'badInput',
        `No function named '${target.name}' in ${file}.${available.length ? ` Functions found: ${available.slice(0, 12).join(', ')}.` : ' No functions were found in it.'}`,
      );
    }
    if (target.kind === 'range') {
      const lines = baseText.split('\n').length;
      if (target.startLine > target.endLine || target.endLine >= lines) {
        throw new AnnealError(
          'badInput',
          `Range ${target.startLine + 1}:${target.endLine + 1} is outside ${file} (${lines} lines).`,
        );
      }
    }
    return scope;
  }

  symbolIn(text: string): LocatedSymbol | null {
    return this.target.kind === 'symbol' ? locateByName(this.file, text, this.target.name) : null;
  }

  spanIn(text: string): TargetSpan {
    switch (this.target.kind) {
      case 'file':
        return { startLine: 0, endLine: Number.MAX_SAFE_INTEGER, whole: true };
      case 'symbol': {
        const s = this.symbolIn(text);
        // A candidate that lost the function is judged on the whole file.
        return s
          ? { startLine: s.startLine, endLine: s.endLine, whole: false, name: s.name }
          : { startLine: 0, endLine: Number.MAX_SAFE_INTEGER, whole: true };
      }
      case 'range': {
        const map = lineMapper(this.baseText, text);
        return {
          startLine: map(this.target.startLine),
          endLine: Math.max(map(this.target.startLine), map(this.target.endLine)),
          whole: false,
        };
      }
    }
  }

  /** Whether a report (positions in `text`) falls in the target. */
  contains(text: string, report: ValidationReport): boolean {
    const span = this.spanIn(text);
    if (span.whole) return true;
    // Contract violations (failing tests) always concern the target.
    if (report.category === 'contract_violation') return true;
    return report.line >= span.startLine && report.line <= span.endLine;
  }
}

function key(r: ValidationReport): string {
  return `${r.tool}\u0000${r.code}\u0000${r.message}`;
}

/**
 * The reports a run answers for in `text`: those inside the target, plus any the change brought
 * in elsewhere (compared with the base by tool, code and message, not by position), so old errors
 * elsewhere in the file never make the loop spin.
 */
export function accountableReports(
  scope: TargetScope,
  baseReports: readonly ValidationReport[],
  text: string,
  reports: readonly ValidationReport[],
): ValidationReport[] {
  const outside = new Map<string, number>();
  for (const r of baseReports)
    if (!scope.contains(scope.baseText, r)) outside.set(key(r), (outside.get(key(r)) ?? 0) + 1);
  const out: ValidationReport[] = [];
  for (const r of reports) {
    if (scope.contains(text, r)) {
      out.push(r);
      continue;
    }
    const left = outside.get(key(r)) ?? 0;
    if (left > 0) outside.set(key(r), left - 1);
    else out.push(r);
  }
  return out;
}
