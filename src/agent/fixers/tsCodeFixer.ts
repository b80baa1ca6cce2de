import { resolve } from 'node:path';
import type * as TS from 'typescript';
import type { ValidationReport } from '../../protocol/reports';
import type { AppliedFix } from '../../protocol/runLog';
import type { TsProject } from '../validators/typescript/tsProject';
import type { TsProjectRegistry } from '../validators/typescript/tsProjectRegistry';
import { toReports } from '../validators/typescript/typescriptValidator';
import type { FixResult, ValidationInput, ZeroTokenFixer } from '../validators/validator';
import { isTypeScriptLike } from '../validators/typescript/typescriptValidator';

/**
 * Compiler code fixes that are safe to apply without asking: each repairs exactly what the
 * diagnostic names and cannot delete user code. Keyed by the action's fixName.
 */
export const SAFE_TS_FIXES = new Set([
  'import',
  'spelling',
  'forgottenThisPropertyAccess',
  'addMissingAwait',
  'fixAwaitInSyncFunction',
  'addMissingAsync',
  'addMissingNewOperator',
  'addMissingConst',
  'convertToTypeOnlyImport',
  'convertToTypeOnlyExport',
  'fixOverrideModifier',
  'fixReturnTypeInAsyncFunction',
  'fixNaNEquality',
  'fixMissingCallParentheses',
  'fixExpectedComma',
]);

/** TS2662/TS2663: an unresolved name that the compiler identifies as a static or instance member. */
const MEMBER_NAMED = new Set([2662, 2663]);

/** Bounds of the fixed-point loop. */
export interface FixLoopLimits {
  /** Fixes kept at most (each one is a round: re-validate, recompute candidates). */
  maxRounds: number;
  /** Candidate fixes tried at most, kept or not. */
  maxTries: number;
}

export const DEFAULT_FIX_LIMITS: FixLoopLimits = { maxRounds: 20, maxTries: 60 };

/** Decides which reports a fixer may act on, given the current text (targets move as text changes). */
export type FixScope = (text: string, report: ValidationReport) => boolean;

interface Candidate {
  key: string;
  diag: TS.Diagnostic;
  action: TS.CodeFixAction;
}

/** fixName is present on every action; fixId only when a fix-all exists (two or more diagnostics). */
function fixKey(action: TS.CodeFixAction): string {
  return action.fixName;
}

/** Multiset key of a report, position-free. */
function reportKey(r: ValidationReport): string {
  return `${r.code}\u0000${r.message}`;
}

/** Whether `after` has an error whose code+message is not (as often) in `before`. */
export function introducesNewError(
  before: readonly ValidationReport[],
  after: readonly ValidationReport[],
): boolean {
  const counts = new Map<string, number>();
  for (const r of before)
    if (r.severity === 'error') counts.set(reportKey(r), (counts.get(reportKey(r)) ?? 0) + 1);
  for (const r of after) {
    if (r.severity !== 'error') continue;
    const k = reportKey(r);
    const left = counts.get(k) ?? 0;
    if (left === 0) return true;
    counts.set(k, left - 1);
  }
  return false;
}

function applyChanges(text: string, changes: readonly TS.TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const c of sorted)
    out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.start + c.span.length);
  return out;
}

function detectFormat(ts: TS.FormatCodeSettings & object, text: string): TS.FormatCodeSettings {
  const newLine = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = text.match(/^([ \t]+)\S/m)?.[1] ?? '  ';
  const tabs = indented.startsWith('\t');
  const size = tabs ? 4 : Math.min(Math.max(indented.length, 2), 8);
  const semicolons = /;\s*$/m.test(text);
  return {
    ...ts,
    newLineCharacter: newLine,
    convertTabsToSpaces: !tabs,
    indentSize: size,
    tabSize: size,
    semicolons: (semicolons ? 'insert' : 'remove') as TS.SemicolonPreference,
  };
}

/**
 * The compiler's own code fixes, applied one at a time to a fixed point: a fix is kept only if it
 * lowers the error count without adding a new error. Import fixes with several candidate modules
 * go to the module the project already imports from; between equals, nothing is guessed.
 */
export class TsCodeFixer implements ZeroTokenFixer {
  readonly tool = 'tsc' as const;

  constructor(
    private readonly registry: TsProjectRegistry,
    private readonly limits: FixLoopLimits = DEFAULT_FIX_LIMITS,
    private readonly scope?: FixScope,
  ) {}

  appliesTo(file: string): boolean {
    return isTypeScriptLike(file);
  }

  withScope(scope: FixScope | undefined): TsCodeFixer {
    return new TsCodeFixer(this.registry, this.limits, scope);
  }

  async fix(input: ValidationInput): Promise<FixResult & { rounds: number; tries: number }> {
    const project = this.registry.projectFor(input.file, input.projectDir);
    const file = resolve(input.file);
    let text = input.text;
    project.setOverlay(file, text);
    let reports = toReports(project, file, project.diagnostics(file));
    const fixes: AppliedFix[] = [];
    const tried = new Set<string>();
    let rounds = 0;
    let tries = 0;
    const importedModules = new ImportedModules(project);

    try {
      while (rounds < this.limits.maxRounds && tries < this.limits.maxTries) {
        input.signal?.throwIfAborted();
        const candidates = this.candidates(project, file, text, reports, importedModules);
        let kept = false;
        for (const c of candidates) {
          const attemptKey = `${text.length}:${c.key}:${c.diag.start}:${c.action.description}`;
          if (tried.has(attemptKey)) continue;
          tried.add(attemptKey);
          if (++tries > this.limits.maxTries) break;
          const changes = c.action.changes
            .filter((fc) => resolve(fc.fileName) === file)
            .flatMap((fc) => fc.textChanges);
          if (changes.length === 0 || c.action.changes.some((fc) => resolve(fc.fileName) !== file)) continue;
          const next = applyChanges(text, changes);
          project.setOverlay(file, next);
          const after = toReports(project, file, project.diagnostics(file));
          const errorsBefore = reports.filter((r) => r.severity === 'error').length;
          const errorsAfter = after.filter((r) => r.severity === 'error').length;
          if (errorsAfter < errorsBefore && !introducesNewError(reports, after)) {
            const sf = project.sourceFile(file);
            const pos = sf ? sf.getLineAndCharacterOfPosition(c.diag.start ?? 0) : { line: 0 };
            fixes.push({
              tool: 'tsc',
              fixName: c.key,
              description: c.action.description,
              code: `TS${c.diag.code}`,
              line: pos.line,
            });
            text = next;
            reports = after;
            kept = true;
            rounds++;
            break;
          }
          project.setOverlay(file, text);
        }
        if (!kept) break;
      }
    } finally {
      project.setOverlay(file, text);
    }
    return { text, fixes, rounds, tries };
  }

  /** The project's quote style for new imports: this file's, else the other sources', else tsc's default. */
  private quoteStyle(project: TsProject, text: string): 'single' | 'double' {
    const count = (t: string) => {
      const single = (t.match(/\bfrom '[^']*'/g) ?? []).length;
      const double = (t.match(/\bfrom "[^"]*"/g) ?? []).length;
      return single - double;
    };
    let score = count(text);
    if (score === 0) {
      const files = project.service.getProgram()?.getSourceFiles() ?? [];
      let seen = 0;
      for (const sf of files) {
        if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
        score += count(sf.text);
        if (++seen >= 20) break;
      }
    }
    return score > 0 ? 'single' : 'double';
  }

  private candidates(
    project: TsProject,
    file: string,
    text: string,
    reports: readonly ValidationReport[],
    imported: ImportedModules,
  ): Candidate[] {
    const out: Candidate[] = [];
    const diags = project.diagnostics(file);
    const sf = project.sourceFile(file);
    if (!sf) return out;
    const format = detectFormat(project.ts.getDefaultFormatCodeSettings(), text);
    const preferences: TS.UserPreferences = {
      quotePreference: this.quoteStyle(project, text),
      importModuleSpecifierPreference: 'shortest',
      includeCompletionsForModuleExports: true,
    };
    diags.forEach((d, i) => {
      if (d.start === undefined || d.length === undefined) return;
      if (d.category !== project.ts.DiagnosticCategory.Error) return;
      const report = reports[i];
      if (this.scope && report && !this.scope(text, report)) return;
      let actions: readonly TS.CodeFixAction[];
      try {
        actions = project.service.getCodeFixesAtPosition(
          file,
          d.start,
          d.start + d.length,
          [d.code],
          format,
          preferences,
        );
      } catch {
        return;
      }
      const safe = actions.filter((a) => SAFE_TS_FIXES.has(fixKey(a)));
      const imports = safe.filter((a) => a.fixName === 'import');
      const others = safe.filter((a) => a.fixName !== 'import');
      const name = sf.text.slice(d.start, d.start + d.length);
      const chosen = imports.length > 0 ? chooseImport(project, sf, imports, imported, name) : undefined;
      if (chosen) out.push({ key: 'import', diag: d, action: chosen });
      // One unambiguous fix per kind: two different spellings, say, are a guess.
      const byKind = new Map<string, TS.CodeFixAction[]>();
      for (const a of others) byKind.set(fixKey(a), [...(byKind.get(fixKey(a)) ?? []), a]);
      // "Cannot find name 'x'. Did you mean the instance member 'this.x'?": the compiler has found
      // the member, so a respelling (to a global like `CustomStateSet`) would only silence it.
      if (MEMBER_NAMED.has(d.code)) byKind.delete('spelling');
      for (const [key, list] of byKind)
        if (list.length === 1 && list[0]) out.push({ key, diag: d, action: list[0] });
    });
    return out;
  }
}

/** Module file an import fix would import from (the added or updated import declaration). */
function fixModule(project: TsProject, sf: TS.SourceFile, action: TS.CodeFixAction): string | undefined {
  const ts = project.ts;
  for (const fc of action.changes) {
    for (const tc of fc.textChanges) {
      const added =
        /from\s+(['"])([^'"]+)\1/.exec(tc.newText) ?? /require\((['"])([^'"]+)\1\)/.exec(tc.newText);
      if (added?.[2]) return resolveSpecifier(project, sf.fileName, added[2]);
      for (const st of sf.statements) {
        if (ts.isImportDeclaration(st) && st.pos <= tc.span.start && tc.span.start <= st.end) {
          const spec = st.moduleSpecifier;
          if (ts.isStringLiteral(spec)) return resolveSpecifier(project, sf.fileName, spec.text);
        }
      }
    }
  }
  return undefined;
}

function resolveSpecifier(project: TsProject, containing: string, spec: string): string {
  const ts = project.ts;
  const resolved = ts.resolveModuleName(spec, containing, project.options, ts.sys).resolvedModule
    ?.resolvedFileName;
  return resolved ? resolve(resolved) : spec;
}

function chooseImport(
  project: TsProject,
  sf: TS.SourceFile,
  actions: readonly TS.CodeFixAction[],
  imported: ImportedModules,
  name: string,
): TS.CodeFixAction | undefined {
  const byModule = new Map<string, TS.CodeFixAction>();
  for (const a of actions) {
    const mod = fixModule(project, sf, a);
    if (mod === undefined) return undefined;
    if (!byModule.has(mod)) byModule.set(mod, a);
  }
  if (byModule.size === 1) return byModule.values().next().value;
  const modules = [...byModule.keys()];
  const preferred = modules.filter((m) => imported.has(m));
  if (preferred.length === 1 && preferred[0]) return byModule.get(preferred[0]);
  // Several paths to one declaration (a barrel, the package's own entry point, a re-exporting
  // package) are no guess between names: take the path this file already imports from, else the
  // one the project uses, else the module that declares it (no barrel, no import cycle).
  const declaration = sameDeclaration(project, modules, name);
  if (!declaration) return undefined;
  const own = new Set(
    sf.statements.flatMap((st) =>
      project.ts.isImportDeclaration(st) && project.ts.isStringLiteral(st.moduleSpecifier)
        ? [resolveSpecifier(project, sf.fileName, st.moduleSpecifier.text)]
        : [],
    ),
  );
  const pool = [modules.filter((m) => own.has(m)), preferred, modules].find((list) => list.length > 0) ?? [];
  const pick = pool.find((m) => m === declaration) ?? pool[0];
  return pick === undefined ? undefined : byModule.get(pick);
}

/** The file declaring `name` when every module exports the same declaration under it, else undefined. */
function sameDeclaration(project: TsProject, modules: readonly string[], name: string): string | undefined {
  const program = project.service.getProgram();
  if (!program) return undefined;
  const checker = program.getTypeChecker();
  let target: TS.Declaration | undefined;
  for (const mod of modules) {
    const file = program.getSourceFile(mod);
    const moduleSymbol = file ? checker.getSymbolAtLocation(file) : undefined;
    let symbol = moduleSymbol ? checker.tryGetMemberInModuleExports(name, moduleSymbol) : undefined;
    if (symbol && symbol.flags & project.ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.[0];
    if (!decl || (target && decl !== target)) return undefined;
    target = decl;
  }
  return target ? resolve(target.getSourceFile().fileName) : undefined;
}

/** Modules (resolved file names) that the project's own sources already import from; computed once per fix run. */
class ImportedModules {
  private modules: Set<string> | undefined;
  constructor(private readonly project: TsProject) {}

  has(module: string): boolean {
    this.modules ??= this.collect();
    return this.modules.has(module);
  }

  private collect(): Set<string> {
    const ts = this.project.ts;
    const out = new Set<string>();
    const program = this.project.service.getProgram();
    if (!program) return out;
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
      for (const st of sf.statements) {
        if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
          out.add(resolveSpecifier(this.project, sf.fileName, st.moduleSpecifier.text));
        }
      }
    }
    return out;
  }
}
