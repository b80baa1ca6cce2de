import type { Diagnostic, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import type { ErrorCategory, Severity, ValidationReport } from '../../../protocol/reports';
import { AnnealError } from '../../annealError';

/** Ruff's default rule set: pycodestyle errors that are never style, and all of Pyflakes. */
const RUFF_SETTINGS = { lint: { select: ['E4', 'E7', 'E9', 'F'] } };

let workspace: Promise<Workspace> | undefined;

/** One Ruff workspace per process: the WebAssembly module loads once (~50 ms) and is reused. */
export function ruffWorkspace(): Promise<Workspace> {
  workspace ??= (async () => {
    try {
      // Loaded at run time from dist/node_modules (or node_modules in tests), never bundled.
      const ruff = await import('@astral-sh/ruff-wasm-nodejs');
      return new ruff.Workspace(RUFF_SETTINGS, ruff.PositionEncoding.Utf16);
    } catch (e) {
      workspace = undefined;
      throw new AnnealError(
        'unavailable',
        'Ruff could not be loaded. Reinstall the extension, or disable Python validation.',
        undefined,
        { cause: e },
      );
    }
  })();
  return workspace;
}

/** Ruff's diagnostics for `text`, as its WebAssembly API returns them. */
export async function ruffDiagnostics(text: string): Promise<Diagnostic[]> {
  const ws = await ruffWorkspace();
  return ws.check(text) as Diagnostic[];
}

/**
 * Codes that stop the program from running (syntax, undefined names, broken `%`/`.format`
 * calls, `return` outside a function); everything else Ruff says is a warning.
 */
function severityOf(code: string): Severity {
  if (code === 'invalid-syntax' || code.startsWith('E9') || code.startsWith('F7') || code.startsWith('F5')) {
    return 'error';
  }
  return ['F821', 'F822', 'F823', 'F404', 'F406', 'F407', 'F901'].includes(code) ? 'error' : 'warning';
}

function categoryOf(code: string, importable: boolean): ErrorCategory {
  if (code === 'invalid-syntax' || code.startsWith('E9')) return 'syntax';
  if (code === 'F821') return importable ? 'missing_import' : 'undefined_name';
  if (code === 'F822' || code === 'F823') return 'undefined_name';
  return 'other';
}

/**
 * Maps Ruff diagnostics (1-based rows and UTF-16 columns) to reports on `file`. `importable` says
 * whether an undefined name could be fixed by adding an import.
 */
export function ruffReports(
  file: string,
  diagnostics: readonly Diagnostic[],
  importable: (name: string) => boolean,
  text: string,
): ValidationReport[] {
  const lines = text.split(/\r\n|\r|\n/);
  return diagnostics
    .map((d): ValidationReport => {
      const code = d.code ?? 'invalid-syntax';
      const line = Math.max(0, d.start_location.row - 1);
      const character = Math.max(0, d.start_location.column - 1);
      const endLine = Math.max(line, d.end_location.row - 1);
      const endCharacter = Math.max(0, d.end_location.column - 1);
      const name = code === 'F821' ? (lines[line] ?? '').slice(character, endCharacter) : '';
      return {
        file,
        line,
        character,
        endLine,
        endCharacter: endLine === line ? Math.max(character, endCharacter) : endCharacter,
        code,
        category: categoryOf(code, name !== '' && importable(name)),
        severity: severityOf(code),
        message: d.message,
        tool: 'ruff',
      };
    })
    .sort((a, b) => a.line - b.line || a.character - b.character);
}

/** The names Ruff reports as undefined (F821), each once. */
export function undefinedNames(text: string, diagnostics: readonly Diagnostic[]): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const names = new Set<string>();
  const ordered = [...diagnostics].sort(
    (a, b) =>
      a.start_location.row - b.start_location.row || a.start_location.column - b.start_location.column,
  );
  for (const d of ordered) {
    if (d.code !== 'F821' || d.start_location.row !== d.end_location.row) continue;
    const line = lines[d.start_location.row - 1] ?? '';
    const name = line.slice(d.start_location.column - 1, d.end_location.column - 1);
    if (/^[A-Za-z_]\w*$/.test(name)) names.add(name);
  }
  return [...names];
}

/** Offsets of each line start, so that (row, column) pairs map to string indices. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Applies one Ruff fix's edits (non-overlapping, 1-based UTF-16 positions) to `text`. */
export function applyRuffFix(text: string, fix: NonNullable<Diagnostic['fix']>): string {
  const starts = lineStarts(text);
  const offset = (p: { row: number; column: number }): number => {
    if (p.row - 1 >= starts.length) return text.length;
    return Math.min(text.length, (starts[p.row - 1] ?? 0) + p.column - 1);
  };
  const edits = fix.edits
    .map((e) => ({ from: offset(e.location), to: offset(e.end_location), content: e.content ?? '' }))
    .sort((a, b) => b.from - a.from);
  let out = text;
  for (const e of edits) out = out.slice(0, e.from) + e.content + out.slice(e.to);
  return out;
}

/** A multiset key per diagnostic that ignores position, to tell a new problem from a moved one. */
export function diagnosticKeys(diagnostics: readonly Diagnostic[]): Map<string, number> {
  const keys = new Map<string, number>();
  for (const d of diagnostics) {
    const k = `${d.code ?? 'invalid-syntax'}\u0000${d.message}`;
    keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  return keys;
}

/** Whether `after` holds a diagnostic that `before` did not (counting repeats). */
export function addsDiagnostic(before: readonly Diagnostic[], after: readonly Diagnostic[]): boolean {
  const b = diagnosticKeys(before);
  for (const [k, n] of diagnosticKeys(after)) if (n > (b.get(k) ?? 0)) return true;
  return false;
}
