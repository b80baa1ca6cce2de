import type * as TS from 'typescript';
import type { TypeScriptModule } from '../../src/agent/validators/typescript/loadTypeScript';

/** What a mutation breaks. The first four are what the compiler's own code fixes can repair. */
export type MutationKind =
  'missing-import' | 'misspelled-name' | 'missing-this' | 'missing-await' | 'syntax-error' | 'type-error';

export const COMPILER_FIXABLE: ReadonlySet<MutationKind> = new Set([
  'missing-import',
  'misspelled-name',
  'missing-this',
  'missing-await',
]);

export const ALL_KINDS: readonly MutationKind[] = [
  'missing-import',
  'misspelled-name',
  'missing-this',
  'missing-await',
  'syntax-error',
  'type-error',
];

export interface Mutation {
  kind: MutationKind;
  file: string;
  text: string;
  /** 0-based lines of the original text the mutation touched (inclusive). */
  firstLine: number;
  lastLine: number;
  /** What was done, for the case listing. */
  description: string;
  /** The name the mutation unbinds (missing import, misspelling, missing `this.`). */
  name?: string;
}

/** One text replacement; `lines` are the original's lines it touches. */
function replace(
  kind: MutationKind,
  file: string,
  sf: TS.SourceFile,
  start: number,
  end: number,
  insert: string,
  description: string,
  name?: string,
): Mutation {
  const text = sf.text;
  return {
    ...(name === undefined ? {} : { name }),
    kind,
    file,
    text: text.slice(0, start) + insert + text.slice(end),
    firstLine: sf.getLineAndCharacterOfPosition(start).line,
    lastLine: sf.getLineAndCharacterOfPosition(Math.max(start, end - 1)).line,
    description,
  };
}

function walk(ts: TypeScriptModule, node: TS.Node, visit: (n: TS.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (c) => walk(ts, c, visit));
}

function inImport(ts: TypeScriptModule, node: TS.Node): boolean {
  for (let n: TS.Node | undefined = node; n; n = n.parent) if (ts.isImportDeclaration(n)) return true;
  return false;
}

/** Identifier uses (not declarations, property names, or import/export clauses). */
function isReference(ts: TypeScriptModule, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p || inImport(ts, id)) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if (ts.isPropertyAssignment(p) && p.name === id) return false;
  if (ts.isShorthandPropertyAssignment(p)) return false;
  if (ts.isExportSpecifier(p)) return false;
  if (
    (ts.isVariableDeclaration(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isClassDeclaration(p) ||
      ts.isInterfaceDeclaration(p) ||
      ts.isTypeAliasDeclaration(p) ||
      ts.isParameter(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isBindingElement(p) ||
      ts.isTypeParameterDeclaration(p) ||
      ts.isEnumDeclaration(p) ||
      ts.isEnumMember(p) ||
      ts.isModuleDeclaration(p) ||
      ts.isLabeledStatement(p) ||
      ts.isGetAccessor(p) ||
      ts.isSetAccessor(p)) &&
    (p as { name?: TS.Node }).name === id
  )
    return false;
  return true;
}

/** Removes one named import the file uses (the whole declaration when it is the only one). */
function missingImports(ts: TypeScriptModule, file: string, sf: TS.SourceFile): Mutation[] {
  const out: Mutation[] = [];
  const text = sf.text;
  const uses = new Map<string, number>();
  walk(ts, sf, (n) => {
    if (ts.isIdentifier(n) && isReference(ts, n)) uses.set(n.text, (uses.get(n.text) ?? 0) + 1);
  });
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings) || st.importClause?.name) continue;
    const elements = bindings.elements;
    elements.forEach((el, i) => {
      if (el.propertyName || !uses.get(el.name.text)) return;
      const desc = `removed import { ${el.name.text} } from '${(st.moduleSpecifier as TS.StringLiteral).text}'`;
      if (elements.length === 1) {
        const start = st.getStart(sf);
        let end = st.end;
        if (text[end] === '\n') end++;
        out.push(replace('missing-import', file, sf, start, end, '', desc, el.name.text));
      } else if (i < elements.length - 1) {
        out.push(
          replace(
            'missing-import',
            file,
            sf,
            el.getStart(sf),
            (elements[i + 1] as TS.ImportSpecifier).getStart(sf),
            '',
            desc,
            el.name.text,
          ),
        );
      } else {
        out.push(
          replace(
            'missing-import',
            file,
            sf,
            (elements[i - 1] as TS.ImportSpecifier).end,
            el.end,
            '',
            desc,
            el.name.text,
          ),
        );
      }
    });
  }
  return out;
}

/** Drops or swaps a letter of a reference to a name declared or imported in the file. */
function misspellings(ts: TypeScriptModule, file: string, sf: TS.SourceFile, rand: () => number): Mutation[] {
  const out: Mutation[] = [];
  const allNames = new Set<string>();
  const declared = new Set<string>();
  walk(ts, sf, (n) => {
    if (!ts.isIdentifier(n)) return;
    allNames.add(n.text);
    const p = n.parent;
    if (
      p &&
      (ts.isImportSpecifier(p) ||
        ts.isImportClause(p) ||
        ts.isNamespaceImport(p) ||
        ts.isVariableDeclaration(p) ||
        ts.isFunctionDeclaration(p) ||
        ts.isClassDeclaration(p) ||
        ts.isParameter(p) ||
        ts.isBindingElement(p)) &&
      (p as { name?: TS.Node }).name === n
    )
      declared.add(n.text);
  });
  walk(ts, sf, (n) => {
    if (!ts.isIdentifier(n) || n.text.length < 5 || !declared.has(n.text) || !isReference(ts, n)) return;
    const name = n.text;
    const at = 1 + Math.floor(rand() * (name.length - 2));
    const swap = rand() < 0.5 && name[at] !== name[at + 1];
    const wrong = swap
      ? name.slice(0, at) + (name[at + 1] ?? '') + (name[at] ?? '') + name.slice(at + 2)
      : name.slice(0, at) + name.slice(at + 1);
    if (wrong === name || allNames.has(wrong)) return;
    const desc = `${name} → ${wrong}`;
    out.push(replace('misspelled-name', file, sf, n.getStart(sf), n.end, wrong, desc, wrong));
  });
  return out;
}

/**
 * Whether `this` at a node is a class instance (or the class, in a static member): the nearest
 * enclosing function that is not an arrow is a class member. `this` in an object literal's
 * methods (typed by ThisType, as in tiptap's `Extension.create({...})`) is not: the compiler has
 * no member to point to there.
 */
function thisIsClass(ts: TypeScriptModule, node: TS.Node): boolean {
  for (let p: TS.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isArrowFunction(p)) continue;
    if (ts.isClassLike(p)) return true;
    if (ts.isFunctionLike(p)) return p.parent !== undefined && ts.isClassLike(p.parent);
  }
  return false;
}

/** `this.member` → `member` inside a class. */
function missingThis(ts: TypeScriptModule, file: string, sf: TS.SourceFile): Mutation[] {
  const out: Mutation[] = [];
  walk(ts, sf, (n) => {
    if (
      ts.isPropertyAccessExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ThisKeyword &&
      ts.isIdentifier(n.name) &&
      thisIsClass(ts, n)
    ) {
      const desc = `this.${n.name.text} → ${n.name.text}`;
      out.push(replace('missing-this', file, sf, n.getStart(sf), n.name.getStart(sf), '', desc, n.name.text));
    }
  });
  return out;
}

/** `await x` → `x` in an async function. */
function missingAwait(ts: TypeScriptModule, file: string, sf: TS.SourceFile): Mutation[] {
  const out: Mutation[] = [];
  walk(ts, sf, (n) => {
    if (ts.isAwaitExpression(n)) {
      const desc = `dropped await before ${n.expression.getText(sf).slice(0, 40)}`;
      out.push(replace('missing-await', file, sf, n.getStart(sf), n.expression.getStart(sf), '', desc));
    }
  });
  return out;
}

/** Deletes the closing parenthesis of a call or the closing brace of a block. */
function syntaxErrors(ts: TypeScriptModule, file: string, sf: TS.SourceFile): Mutation[] {
  const out: Mutation[] = [];
  const text = sf.text;
  walk(ts, sf, (n) => {
    if (ts.isCallExpression(n) && text[n.end - 1] === ')') {
      out.push(
        replace(
          'syntax-error',
          file,
          sf,
          n.end - 1,
          n.end,
          '',
          `deleted ')' of ${n.expression.getText(sf).slice(0, 30)}(…)`,
        ),
      );
    } else if (ts.isBlock(n) && text[n.end - 1] === '}') {
      out.push(replace('syntax-error', file, sf, n.end - 1, n.end, '', `deleted '}' closing a block`));
    }
  });
  return out;
}

/** A number literal turned into a string (`return 0` → `return '0'`); kept only where that is a type error. */
function typeErrors(ts: TypeScriptModule, file: string, sf: TS.SourceFile): Mutation[] {
  const out: Mutation[] = [];
  walk(ts, sf, (n) => {
    if (!ts.isNumericLiteral(n)) return;
    let inBody = false;
    for (let p: TS.Node | undefined = n.parent; p; p = p.parent) {
      if (ts.isTypeNode(p) || ts.isEnumMember(p)) return;
      if (ts.isBlock(p)) inBody = true;
    }
    if (!inBody) return;
    const where = ts.isReturnStatement(n.parent) ? 'returned' : 'used';
    out.push(
      replace(
        'type-error',
        file,
        sf,
        n.getStart(sf),
        n.end,
        `'${n.text}'`,
        `${where} '${n.text}' where ${n.text} was`,
      ),
    );
  });
  return out;
}

/** Every candidate site of a kind in one file, in source order. */
export function mutationSites(
  ts: TypeScriptModule,
  kind: MutationKind,
  file: string,
  text: string,
  rand: () => number,
): Mutation[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  switch (kind) {
    case 'missing-import':
      return missingImports(ts, file, sf);
    case 'misspelled-name':
      return misspellings(ts, file, sf, rand);
    case 'missing-this':
      return missingThis(ts, file, sf);
    case 'missing-await':
      return missingAwait(ts, file, sf);
    case 'syntax-error':
      return syntaxErrors(ts, file, sf);
    case 'type-error':
      return typeErrors(ts, file, sf);
  }
}
