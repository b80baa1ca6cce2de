import { basename } from 'node:path';
import type { Diagnostic } from '@astral-sh/ruff-wasm-nodejs';
import type { ValidationReport } from '../../protocol/reports';
import type { AppliedFix } from '../../protocol/runLog';
import type { FixResult, ValidationInput, ZeroTokenFixer } from '../validators/validator';
import {
  cachedSiblingExports,
  importStatement,
  insertImport,
  resolveImport,
} from '../validators/python/pythonImports';
import {
  addsDiagnostic,
  applyRuffFix,
  ruffDiagnostics,
  undefinedNames,
} from '../validators/python/ruffCheck';
import { isPythonFile } from '../validators/python/ruffValidator';

/**
 * Rules whose Ruff fix is always safe (keeps behaviour). The WebAssembly build returns unsafe
 * fixes too (`x == None` → `x is None`, deleting an unused local with side effects) and does not
 * say which is which, so safety is decided here, per rule.
 */
const SAFE_FIX_CODES = new Set(['F401', 'F541', 'F632', 'E703', 'E713', 'E714']);

/** Upper bound on fixes tried per pass; each try costs one Ruff check (milliseconds). */
const MAX_TRIES = 30;

function isSafe(d: Diagnostic, file: string): boolean {
  if (d.fix === null || d.code === null || !SAFE_FIX_CODES.has(d.code)) return false;
  // In a package's __init__.py an "unused" import is usually a re-export.
  return !(d.code === 'F401' && basename(file) === '__init__.py');
}

function tryKey(d: Diagnostic): string {
  return `${d.code ?? ''}\u0000${d.message}`;
}

/** Names pyright reports as undefined in the text the reports were computed on. */
function pyrightUndefinedNames(input: ValidationInput, reports: readonly ValidationReport[]): string[] {
  const lines = input.text.split(/\r\n|\r|\n/);
  const names: string[] = [];
  for (const r of reports) {
    if (r.tool !== 'pyright' || r.code !== 'reportUndefinedVariable' || r.line !== r.endLine) continue;
    const name = (lines[r.line] ?? '').slice(r.character, r.endCharacter);
    if (/^[A-Za-z_]\w*$/.test(name)) names.push(name);
  }
  return names;
}

/** The first 0-based line where two texts differ: where an import went in. */
function firstChangedLine(a: string, b: string): number {
  const al = a.split(/\r?\n/);
  const bl = b.split(/\r?\n/);
  let i = 0;
  while (i < al.length && al[i] === bl[i]) i++;
  return i;
}

/**
 * Ruff's safe autofixes plus "add the missing import" for undefined names with exactly one
 * known home (a standard-library module or name, or a top-level definition of a sibling
 * module). Every change is re-checked with Ruff and kept only if the number of diagnostics
 * drops and no new one appears.
 */
export class RuffFixer implements ZeroTokenFixer {
  readonly tool = 'ruff' as const;

  appliesTo(file: string): boolean {
    return isPythonFile(file);
  }

  async fix(input: ValidationInput, reports: readonly ValidationReport[]): Promise<FixResult> {
    let text = input.text;
    let diags = await ruffDiagnostics(text);
    const fixes: AppliedFix[] = [];
    const tried = new Set<string>();
    let tries = 0;

    const attempt = async (candidate: string, accept: (after: Diagnostic[]) => boolean): Promise<boolean> => {
      tries += 1;
      const after = await ruffDiagnostics(candidate);
      if (after.length >= diags.length || addsDiagnostic(diags, after) || !accept(after)) return false;
      text = candidate;
      diags = after;
      return true;
    };

    while (tries < MAX_TRIES && !input.signal?.aborted) {
      const d = diags.find((x) => isSafe(x, input.file) && !tried.has(tryKey(x)));
      if (d?.fix == null) break;
      tried.add(tryKey(d));
      const line = d.start_location.row - 1;
      if (await attempt(applyRuffFix(text, d.fix), () => true)) {
        fixes.push({
          tool: 'ruff',
          fixName: 'safeFix',
          description: d.fix.message ?? d.message,
          code: d.code ?? '',
          line: Math.max(0, line),
        });
      }
    }

    const names = new Set([...undefinedNames(text, diags), ...pyrightUndefinedNames(input, reports)]);
    if (names.size > 0 && !input.signal?.aborted) {
      const siblings = await cachedSiblingExports(input.projectDir, input.file);
      for (const name of names) {
        if (tries >= MAX_TRIES || input.signal?.aborted) break;
        const candidate = resolveImport(name, text, siblings);
        if (candidate === null) continue;
        const before = text;
        const next = insertImport(text, candidate);
        const ok = await attempt(next, (after) => !undefinedNames(next, after).includes(name));
        if (ok) {
          fixes.push({
            tool: 'ruff',
            fixName: 'addMissingImport',
            description: `Added \`${importStatement(candidate)}\` for \`${name}\``,
            code: 'F821',
            line: firstChangedLine(before, text),
          });
        }
      }
    }
    return { text, fixes };
  }
}
