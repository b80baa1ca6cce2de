import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type * as TS from 'typescript';
import type { TsProject } from '../validators/typescript/tsProject';
import { isPython } from './findSymbol';
import type { TargetSpan } from './targetScope';

/** Rough token count (about 4 characters a token for code), used for budgeting prompts. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** What the model is shown of the project, within a budget. */
export interface PromptContext {
  /** Exact, verbatim segments of the current file (the whole file when it fits). */
  segments: { startLine: number; endLine: number; text: string }[];
  excerpted: boolean;
  /** Signatures and types of what the target uses, declared elsewhere. */
  declarations: string[];
  /** Related tests (read-only for the model), with their path. */
  tests?: { file: string; text: string };
  tokens: number;
}

/** Files shorter than this are shown whole; longer ones are excerpted around the target. */
export const WHOLE_FILE_LINES = 150;

/** Most tokens spent on declarations, and on related tests, whatever the run's budget. */
export const MAX_DECLARATION_TOKENS = 600;
export const MAX_TEST_TOKENS = 1500;

function segment(lines: string[], start: number, end: number) {
  const s = Math.max(0, start);
  const e = Math.min(lines.length - 1, end);
  return { startLine: s, endLine: e, text: lines.slice(s, e + 1).join('\n') };
}

/** Last line of the file's leading import block (0-based), or -1. */
function importBlockEnd(lines: string[], python: boolean): number {
  let last = -1;
  const re = python
    ? /^(import |from \S+ import )/
    : /^(import\b|export\s+\{[^}]*\}\s+from\b|(const|let|var)\s+\w+\s*=\s*require\()/;
  for (let i = 0; i < Math.min(lines.length, 200); i++) {
    const l = lines[i]!;
    if (re.test(l)) {
      last = i;
      // Multi-line import: run to its end.
      if (!python && l.includes('{') && !l.includes('}')) {
        while (i + 1 < lines.length && !lines[i]!.includes('}')) i++;
        last = i;
      }
    }
  }
  return last;
}

/** Test files that belong to `file`: foo.test.ts, foo.spec.ts, __tests__/foo.*, test/foo.*, test_foo.py, foo_test.py. */
export function relatedTestFiles(file: string, projectDir: string): string[] {
  const dir = dirname(file);
  const ext = extname(file);
  const stem = basename(file, ext);
  const names = isPython(file)
    ? [`test_${stem}.py`, `${stem}_test.py`]
    : ['.test', '.spec'].flatMap((k) =>
        ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.mts'].map((e) => `${stem}${k}${e}`),
      );
  const dirs = [
    dir,
    join(dir, '__tests__'),
    join(dir, 'tests'),
    join(dir, 'test'),
    join(projectDir, 'test'),
    join(projectDir, 'tests'),
  ];
  const out: string[] = [];
  for (const d of dirs) for (const n of names) if (existsSync(join(d, n))) out.push(resolve(d, n));
  return [...new Set(out)];
}

function testExcerpt(
  testFile: string,
  targetName: string | undefined,
  budgetTokens: number,
): string | undefined {
  let text: string;
  try {
    text = readFileSync(testFile, 'utf8');
  } catch {
    return undefined;
  }
  if (estimateTokens(text) <= budgetTokens) return text;
  if (!targetName) return undefined;
  const simple = targetName.split('.').pop()!;
  const lines = text.split('\n');
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (l.includes(simple))
      for (let k = Math.max(0, i - 3); k <= Math.min(lines.length - 1, i + 8); k++) keep.add(k);
  });
  const picked = [...keep].sort((a, b) => a - b).map((i) => lines[i]!);
  const excerpt = picked.join('\n');
  return estimateTokens(excerpt) <= budgetTokens ? excerpt : excerpt.slice(0, budgetTokens * 4);
}

/** Signature-only text of a declaration: no bodies, no initialisers of functions. */
function declarationText(
  ts: typeof TS,
  checker: TS.TypeChecker,
  decl: TS.Declaration,
  sf: TS.SourceFile,
): string | undefined {
  const cut = (node: TS.Node, body: TS.Node | undefined) =>
    sf.text
      .slice(node.getStart(sf), body ? body.getStart(sf) : node.getEnd())
      .trim()
      .replace(/\s*\{?$/, '');
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isConstructorDeclaration(decl))
    return cut(decl, decl.body);
  if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) {
    if (ts.isPropertyDeclaration(decl) && decl.initializer) {
      return `${decl.name.getText(sf)}: ${checker.typeToString(checker.getTypeAtLocation(decl))}`;
    }
    return decl.getText(sf);
  }
  if (ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isEnumDeclaration(decl)) {
    const text = decl.getText(sf);
    const lines = text.split('\n');
    return lines.length > 40
      ? `${lines.slice(0, 40).join('\n')}\n  // (${lines.length - 40} more lines)`
      : text;
  }
  if (ts.isClassDeclaration(decl)) {
    const head = sf.text.slice(decl.getStart(sf), decl.members.pos).trim();
    const members = decl.members
      .slice(0, 30)
      .map((m) => {
        if (
          ts.isMethodDeclaration(m) ||
          ts.isConstructorDeclaration(m) ||
          ts.isGetAccessor(m) ||
          ts.isSetAccessor(m)
        )
          return `  ${cut(m, m.body)};`;
        if (ts.isPropertyDeclaration(m)) return `  ${declarationText(ts, checker, m, sf) ?? ''};`;
        return undefined;
      })
      .filter(Boolean);
    return `${head}\n${members.join('\n')}\n}`;
  }
  if (ts.isVariableDeclaration(decl)) {
    const kind =
      decl.parent && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const
        ? 'const'
        : 'let';
    return `${kind} ${decl.name.getText(sf)}: ${checker.typeToString(checker.getTypeAtLocation(decl))}`;
  }
  if (
    ts.isParameter(decl) ||
    ts.isImportSpecifier(decl) ||
    ts.isImportClause(decl) ||
    ts.isNamespaceImport(decl)
  )
    return undefined;
  return undefined;
}

function externalSignature(
  ts: typeof TS,
  checker: TS.TypeChecker,
  use: TS.Identifier,
  decl: TS.Declaration,
): string | undefined {
  if (ts.isImportSpecifier(decl) || ts.isParameter(decl)) return undefined;
  const type = checker.typeToString(
    checker.getTypeAtLocation(use),
    undefined,
    ts.TypeFormatFlags.NoTruncation,
  );
  const line = `${use.text}: ${type}`;
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}

/**
 * Declarations the target refers to, declared outside it: signatures from the LanguageService's
 * type checker (not whole files), nearest first, until the budget is used.
 */
export function tsDeclarations(
  project: TsProject,
  file: string,
  span: TargetSpan,
  budgetTokens: number,
  focusLines: readonly number[] = [],
): string[] {
  const ts = project.ts;
  const program = project.service.getProgram();
  const sf = program?.getSourceFile(resolve(file));
  if (!program || !sf) return [];
  const checker = program.getTypeChecker();
  const start = span.whole
    ? 0
    : sf.getPositionOfLineAndCharacter(Math.min(span.startLine, sf.getLineStarts().length - 1), 0);
  const lastLine = Math.min(span.endLine, sf.getLineStarts().length - 1);
  const end = span.whole ? sf.end : sf.getLineEndOfPosition(sf.getPositionOfLineAndCharacter(lastLine, 0));
  const seen = new Set<TS.Declaration>();
  const out: string[] = [];
  let used = 0;
  const focus = new Set(focusLines);
  let pass: 'focus' | 'rest' = 'focus';
  const visit = (node: TS.Node) => {
    if (node.getEnd() < start || node.getStart(sf) > end) return;
    const onFocusLine = focus.has(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line);
    if (
      ts.isIdentifier(node) &&
      node.getStart(sf) >= start &&
      node.getEnd() <= end &&
      (pass === 'rest' || onFocusLine)
    ) {
      let symbol = checker.getSymbolAtLocation(node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      for (const decl of symbol?.declarations ?? []) {
        if (seen.has(decl)) continue;
        seen.add(decl);
        const dsf = decl.getSourceFile();
        if (program.isSourceFileDefaultLibrary(dsf) || dsf.fileName.includes('/typescript/lib/')) continue;
        if (dsf === sf && decl.getStart(sf) >= start && decl.getEnd() <= end) continue;
        // Library declarations: one line with the type, not their source.
        const external = dsf.fileName.includes('/node_modules/');
        const text = external
          ? externalSignature(ts, checker, node, decl)
          : declarationText(ts, checker, decl, dsf);
        if (!text) continue;
        const where = dsf === sf ? 'this file' : relative(dirname(file), dsf.fileName);
        const entry = `// from ${where}\n${text}`;
        const cost = estimateTokens(entry);
        if (used + cost > budgetTokens) continue;
        used += cost;
        out.push(entry);
      }
    }
    ts.forEachChild(node, visit);
  };
  // What the error lines use comes first; the rest of the target fills what budget is left.
  if (focus.size > 0) visit(sf);
  pass = 'rest';
  visit(sf);
  return out;
}

/** Top-level def/class headers elsewhere in a Python file (its own API, for reference). */
function pythonDeclarations(lines: string[], span: TargetSpan, budgetTokens: number): string[] {
  const out: string[] = [];
  let used = 0;
  lines.forEach((l, i) => {
    if (!span.whole && i >= span.startLine && i <= span.endLine) return;
    if (/^(async\s+def|def|class)\s/.test(l)) {
      const cost = estimateTokens(l);
      if (used + cost <= budgetTokens) {
        out.push(l.trimEnd());
        used += cost;
      }
    }
  });
  return out;
}

/**
 * Builds what the model sees: the whole file when it is short or the target is the file, else the
 * import block and the target with a margin, verbatim; plus declarations and related tests.
 */
export function buildPromptContext(opts: {
  file: string;
  text: string;
  span: TargetSpan;
  projectDir: string;
  tsProject?: TsProject;
  budgetTokens: number;
  targetName?: string;
  /** Lines (0-based) with errors: their declarations are included first. */
  focusLines?: readonly number[];
  /** Show the file's import block in an excerpt (needed for missing names, not for type errors). */
  includeImports?: boolean;
}): PromptContext {
  const lines = opts.text.split('\n');
  const python = isPython(opts.file);
  const whole = opts.span.whole || lines.length <= WHOLE_FILE_LINES;
  const segments = whole
    ? [segment(lines, 0, lines.length - 1)]
    : (() => {
        const imports = opts.includeImports === false ? -1 : importBlockEnd(lines, python);
        const from = Math.max(0, opts.span.startLine - 3);
        const to = Math.min(lines.length - 1, opts.span.endLine + 3);
        if (imports < 0) return [segment(lines, from, to)];
        return imports < from - 1
          ? [segment(lines, 0, imports), segment(lines, from, to)]
          : [segment(lines, 0, to)];
      })();
  let tokens = segments.reduce((n, s) => n + estimateTokens(s.text), 0);
  const remaining = Math.max(0, opts.budgetTokens - tokens);
  const declarations = python
    ? pythonDeclarations(lines, opts.span, Math.min(MAX_DECLARATION_TOKENS, remaining))
    : opts.tsProject
      ? tsDeclarations(
          opts.tsProject,
          opts.file,
          opts.span,
          Math.min(MAX_DECLARATION_TOKENS, remaining),
          opts.focusLines,
        )
      : [];
  tokens += declarations.reduce((n, d) => n + estimateTokens(d), 0);
  let tests: PromptContext['tests'];
  const testFile = relatedTestFiles(opts.file, opts.projectDir)[0];
  if (testFile) {
    const text = testExcerpt(
      testFile,
      opts.targetName,
      Math.min(MAX_TEST_TOKENS, Math.max(0, opts.budgetTokens - tokens)),
    );
    if (text) {
      tests = { file: relative(opts.projectDir, testFile), text };
      tokens += estimateTokens(text);
    }
  }
  return { segments, excerpted: !whole, declarations, tests, tokens };
}
