import { diffLines } from 'diff';
import type * as TS from 'typescript';
import type { TypeScriptModule } from '../../src/agent/validators/typescript/loadTypeScript';

/**
 * Lines a fix changed away from the error: hunks of the original→fixed line diff that do not lie
 * within `allowed` (0-based original lines, inclusive; an insertion right after the last allowed
 * line counts as within). A modified line counts once.
 */
export function damagedLines(
  original: string,
  fixed: string,
  allowed: { first: number; last: number },
): number {
  let line = 0;
  let damage = 0;
  const changes = diffLines(original, fixed);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (!c) continue;
    if (!c.added && !c.removed) {
      line += c.count ?? 0;
      continue;
    }
    // A hunk: the run of removed and added changes between two unchanged ones, in either order.
    let removed = 0;
    let added = 0;
    const start = line;
    for (; i < changes.length; i++) {
      const h = changes[i];
      if (!h || (!h.added && !h.removed)) break;
      if (h.removed) removed += h.count ?? 0;
      else added += h.count ?? 0;
    }
    i--;
    line += removed;
    const inside =
      removed > 0
        ? start >= allowed.first && start + removed - 1 <= allowed.last
        : start >= allowed.first && start <= allowed.last + 1;
    if (!inside) damage += Math.max(removed, added);
  }
  return damage;
}

/**
 * Every import binding as `module|imported|local`, sorted: equal lists mean the same names bound
 * to the same declarations. `module` is what `resolveModule` makes of the specifier, so
 * `'./a.js'` and `'./a'` are one module; how the import is written is judged by exact restoration.
 */
export function importBindings(
  ts: TypeScriptModule,
  text: string,
  resolveModule: (specifier: string) => string,
): string[] {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const mod = resolveModule(st.moduleSpecifier.text);
    const clause = st.importClause;
    if (!clause) {
      out.push(`${mod}|||`);
      continue;
    }
    if (clause.name) out.push(`${mod}|default|${clause.name.text}`);
    const nb: TS.NamedImportBindings | undefined = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) out.push(`${mod}|*|${nb.name.text}`);
    if (nb && ts.isNamedImports(nb))
      for (const el of nb.elements) out.push(`${mod}|${(el.propertyName ?? el.name).text}|${el.name.text}`);
  }
  return out.sort();
}

/** 0-based first and last lines of the import declarations at the top of a file. */
export function importBlock(ts: TypeScriptModule, text: string): { first: number; last: number } | undefined {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s));
  const first = imports[0];
  const last = imports[imports.length - 1];
  if (!first || !last) return undefined;
  return {
    first: sf.getLineAndCharacterOfPosition(first.getStart(sf)).line,
    last: sf.getLineAndCharacterOfPosition(last.end).line,
  };
}
