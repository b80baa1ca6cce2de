import type * as TS from 'typescript';
import type { TypeScriptModule } from '../../src/agent/validators/typescript/loadTypeScript';
import { shuffled } from '../support/random';

/** What a small edit does; every kind stays inside one function body, so no other file's types move. */
export type EditKind = 'add-const' | 'rename-local' | 'type-error' | 'undefined-name';

export interface Edit {
  file: string;
  kind: EditKind;
  /** The edited text; `variant` makes each repetition a distinct text (a new overlay version). */
  apply(variant: number): string;
}

/** The mix: mostly harmless edits, some that introduce a type error or a missing name. */
const ROTATION: readonly EditKind[] = [
  'add-const',
  'rename-local',
  'type-error',
  'add-const',
  'rename-local',
  'undefined-name',
];

/** Function-like nodes with a block body, in source order. */
function functionBodies(ts: TypeScriptModule, sf: TS.SourceFile): TS.Block[] {
  const out: TS.Block[] = [];
  const visit = (node: TS.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node) {
      const body = (node as { body?: TS.Node }).body;
      if (body && ts.isBlock(body) && body.statements.length > 0) out.push(body);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** Inserts a line before a body's first statement, in that statement's indentation. */
function insertLine(text: string, sf: TS.SourceFile, body: TS.Block, line: string): string {
  const first = body.statements[0] as TS.Statement;
  const at = first.getStart(sf);
  return `${text.slice(0, at)}${line}\n${indentAt(text, at)}${text.slice(at)}`;
}

/** A `const`/`let` declared in a function body, renamed with the LanguageService (shorthand properties kept). */
function renameEdit(
  ts: TypeScriptModule,
  service: TS.LanguageService,
  file: string,
  text: string,
  sf: TS.SourceFile,
  rand: () => number,
): ((variant: number) => string) | undefined {
  const names: TS.Identifier[] = [];
  for (const body of functionBodies(ts, sf)) {
    for (const st of body.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name);
    }
  }
  for (const name of shuffled(names, rand)) {
    const locations = service.findRenameLocations(file, name.getStart(sf), false, false, {
      providePrefixAndSuffixTextForRename: true,
    });
    if (!locations || locations.length < 2 || locations.some((l) => l.fileName !== file)) continue;
    const sorted = [...locations].sort((a, b) => b.textSpan.start - a.textSpan.start);
    return (variant) => {
      let out = text;
      const renamed = `${name.text}Renamed${variant}`;
      for (const l of sorted) {
        const replacement = `${l.prefixText ?? ''}${renamed}${l.suffixText ?? ''}`;
        out = out.slice(0, l.textSpan.start) + replacement + out.slice(l.textSpan.start + l.textSpan.length);
      }
      return out;
    };
  }
  return undefined;
}

/**
 * Picks `count` files (seeded) and one small, realistic edit in each, rotating through the kinds.
 * A file where the kind has no site gets an added const instead.
 */
export function chooseEdits(
  ts: TypeScriptModule,
  service: TS.LanguageService,
  files: readonly string[],
  texts: ReadonlyMap<string, string>,
  count: number,
  rand: () => number,
): Edit[] {
  const edits: Edit[] = [];
  for (const file of shuffled(files, rand)) {
    if (edits.length >= count) break;
    const text = texts.get(file);
    if (text === undefined) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const bodies = functionBodies(ts, sf);
    if (bodies.length === 0) continue;
    const body = bodies[Math.floor(rand() * bodies.length)] as TS.Block;
    let kind = ROTATION[edits.length % ROTATION.length] as EditKind;
    let apply: ((variant: number) => string) | undefined;
    if (kind === 'rename-local') {
      apply = renameEdit(ts, service, file, text, sf, rand);
      if (!apply) kind = 'add-const';
    }
    if (kind === 'add-const')
      apply = (v) => insertLine(text, sf, body, `const __annealBench${v}: number = ${v};`);
    if (kind === 'type-error')
      apply = (v) => insertLine(text, sf, body, `const __annealBench${v}: number = 'x';`);
    if (kind === 'undefined-name')
      apply = (v) => insertLine(text, sf, body, `void __annealBenchMissing${v};`);
    if (apply) edits.push({ file, kind, apply });
  }
  return edits;
}
