import type * as TS from 'typescript';
import { bundledTypeScript } from '../validators/typescript/loadTypeScript';

/** A function-like declaration in TS/JS source. Lines are 0-based and inclusive. */
export interface TsFunction {
  name: string;
  /** `Class.method` for members, else the name. */
  qualifiedName: string;
  /** First line, leading JSDoc and decorators included. */
  startLine: number;
  endLine: number;
  /** Offsets of the whole declaration (JSDoc included) and of the body braces, if any. */
  start: number;
  end: number;
  bodyStart?: number;
  bodyEnd?: number;
  isStub: boolean;
}

const STUB_THROW = /not\s*(yet\s*)?implemented|unimplemented|todo/i;

function scriptKind(ts: typeof TS, file: string): TS.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function isStubBody(ts: typeof TS, body: TS.Node | undefined, sf: TS.SourceFile): boolean {
  if (!body) return true;
  if (!ts.isBlock(body)) return false;
  if (body.statements.length === 0) return true;
  if (body.statements.length !== 1) return false;
  const only = body.statements[0]!;
  return ts.isThrowStatement(only) && STUB_THROW.test(only.getText(sf));
}

/** Every function-like declaration with a name: functions, methods, accessors, constructors, and arrow/function expressions bound to a name. */
export function tsFunctions(file: string, text: string): TsFunction[] {
  const ts = bundledTypeScript();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(ts, file));
  const out: TsFunction[] = [];
  const push = (name: string, qualified: string, node: TS.Node, body: TS.Node | undefined) => {
    const start = node.getStart(sf, true);
    const end = node.getEnd();
    out.push({
      name,
      qualifiedName: qualified,
      startLine: sf.getLineAndCharacterOfPosition(start).line,
      endLine: sf.getLineAndCharacterOfPosition(end).line,
      start,
      end,
      bodyStart: body?.getStart(sf),
      bodyEnd: body?.getEnd(),
      isStub: isStubBody(ts, body, sf),
    });
  };
  const visit = (node: TS.Node, owner: string | undefined) => {
    if (ts.isFunctionDeclaration(node) && node.name) {
      push(node.name.text, node.name.text, node, node.body);
    } else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const cls = node.name?.text ?? owner ?? 'class';
      for (const m of node.members) {
        if (
          (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) &&
          m.name &&
          !ts.isComputedPropertyName(m.name)
        ) {
          const n = m.name.getText(sf);
          push(n, `${cls}.${n}`, m, m.body);
        } else if (ts.isConstructorDeclaration(m)) {
          push('constructor', `${cls}.constructor`, m, m.body);
        } else if (
          ts.isPropertyDeclaration(m) &&
          m.initializer &&
          (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer))
        ) {
          const n = m.name.getText(sf);
          push(n, `${cls}.${n}`, m, m.initializer.body);
        }
        ts.forEachChild(m, (c) => visit(c, cls));
      }
      return;
    } else if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) {
        if (
          ts.isIdentifier(d.name) &&
          d.initializer &&
          (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
        ) {
          const target = node.declarationList.declarations.length === 1 ? node : d;
          push(d.name.text, d.name.text, target, d.initializer.body);
        }
      }
    } else if (
      ts.isPropertyAssignment(node) &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
    ) {
      const n = node.name.getText(sf);
      push(n, owner ? `${owner}.${n}` : n, node, node.initializer.body);
    } else if (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent) && node.name) {
      const n = node.name.getText(sf);
      push(n, owner ? `${owner}.${n}` : n, node, node.body);
    }
    ts.forEachChild(node, (c) => visit(c, owner));
  };
  visit(sf, undefined);
  return out;
}

/** The declaration named `name` (`fn`, `method` or `Class.method`); the outermost when several match. */
export function findTsFunction(file: string, text: string, name: string): TsFunction | null {
  const all = tsFunctions(file, text);
  return all.find((f) => f.qualifiedName === name) ?? all.find((f) => f.name === name) ?? null;
}

/** The innermost declaration containing `line`. */
export function tsFunctionAt(file: string, text: string, line: number): TsFunction | null {
  let best: TsFunction | null = null;
  for (const f of tsFunctions(file, text)) {
    if (
      f.startLine <= line &&
      line <= f.endLine &&
      (!best || f.endLine - f.startLine <= best.endLine - best.startLine)
    )
      best = f;
  }
  return best;
}
