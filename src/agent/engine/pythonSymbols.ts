/** A function or method definition found in Python source. Lines are 0-based and inclusive. */
export interface PythonFunction {
  name: string;
  /** Dotted path through enclosing classes and functions: `Cart.total`, `outer.inner`. */
  qualifiedName: string;
  /** First line of the definition, its first decorator included. */
  startLine: number;
  /** Line of the `def` keyword. */
  defLine: number;
  /** Last line of the signature (the one holding the header's `:`). */
  headerEndLine: number;
  /** First line of the body; equals `headerEndLine` for a one-line `def f(): ...`. */
  bodyStartLine: number;
  /** Last line holding code of the body (trailing blank and comment lines excluded). */
  endLine: number;
  /** Columns of indentation of the `def` line. */
  indent: number;
  isAsync: boolean;
  /** The body is only a docstring, `pass`, `...` or `raise NotImplementedError`. */
  isStub: boolean;
}

/** One logical line: a statement that may span several physical lines (0-based, inclusive). */
export interface LogicalLine {
  start: number;
  end: number;
  indent: number;
  /** The code with each string literal replaced by `"S"` and comments removed. */
  code: string;
}

interface Block {
  kind: 'def' | 'class';
  name: string;
  qualifiedName: string;
  isAsync: boolean;
  index: number;
  /** Stripped code after the header's `:` when the body sits on the header line. */
  inlineBody: string;
  headerEnd: number;
}

function indentWidth(line: string): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w += 1;
    else if (ch === '\t') w += 8 - (w % 8);
    else if (ch === '\f') w = 0;
    else break;
  }
  return w;
}

/**
 * Splits source into logical lines the way Python's tokenizer does: brackets, backslash
 * continuations and triple-quoted strings join physical lines; blank and comment-only lines vanish.
 */
export function pythonLogicalLines(text: string): LogicalLine[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  let depth = 0;
  let code = '';
  let start = -1;
  // Open string state survives across physical lines only for triple-quoted strings.
  let quote: string | null = null;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln] ?? '';
    let continued = false;
    let i = 0;
    if (start < 0 && quote === null && depth === 0) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      start = ln;
    }
    while (i < line.length) {
      const ch = line[i] ?? '';
      if (quote !== null) {
        if (ch === '\\') {
          i += 2;
          continue;
        }
        if (line.startsWith(quote, i)) {
          quote = null;
          i += 3;
          code += '"S"';
          continue;
        }
        i += 1;
        continue;
      }
      if (ch === '#') break;
      if (ch === '\\' && i === line.length - 1) {
        continued = true;
        break;
      }
      if (ch === '"' || ch === "'") {
        const triple = line.startsWith(ch.repeat(3), i);
        // A prefix like r/b/f is already in `code`; raw strings still end at an unescaped quote.
        if (triple) {
          const close = ch.repeat(3);
          const end = findClose(line, i + 3, close);
          if (end < 0) {
            quote = close;
            break;
          }
          code += '"S"';
          i = end + 3;
          continue;
        }
        const end = findClose(line, i + 1, ch);
        code += '"S"';
        i = end < 0 ? line.length : end + 1;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') depth += 1;
      else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
      code += ch;
      i += 1;
    }
    if (quote !== null || depth > 0 || continued) {
      code += ' ';
      continue;
    }
    const first = lines[start] ?? '';
    const stripped = code.trim();
    if (stripped !== '') out.push({ start, end: ln, indent: indentWidth(first), code: stripped });
    code = '';
    start = -1;
  }
  if (start >= 0 && code.trim() !== '') {
    out.push({
      start,
      end: lines.length - 1,
      indent: indentWidth(lines[start] ?? ''),
      code: code.trim(),
    });
  }
  return out;
}

/** Index of the closing `close` at or after `from`, honouring backslash escapes; -1 if none. */
function findClose(line: string, from: number, close: string): number {
  let i = from;
  while (i < line.length) {
    if (line[i] === '\\') {
      i += 2;
      continue;
    }
    if (line.startsWith(close, i)) return i;
    i += 1;
  }
  return -1;
}

/** Position just after the header's `:` (bracket depth 0), or -1. */
function headerColon(code: string): number {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    else if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
    else if (ch === ':' && depth === 0 && code[i + 1] !== '=') return i + 1;
  }
  return -1;
}

const DEF_RE = /^(async\s+)?def\s+([A-Za-z_][\w]*)/;
const CLASS_RE = /^class\s+([A-Za-z_][\w]*)/;

function isStubStatement(code: string): boolean {
  const c = code.trim().replace(/;$/, '').trim();
  if (c === 'pass' || c === '...') return true;
  if (/^raise\s+NotImplementedError\b(\s*\(.*\))?$/.test(c)) return true;
  // A docstring (possibly with a prefix or implicit concatenation) is the only other filler.
  return /^(?:[rRuU]?"S"\s*)+$/.test(c);
}

function splitInline(code: string): string[] {
  return code
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** All function and method definitions in `text`, in source order. */
export function pythonFunctions(text: string): PythonFunction[] {
  const lines = pythonLogicalLines(text);
  const blocks: Block[] = [];
  const stack: { indent: number; name: string }[] = [];
  lines.forEach((l, index) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? -1) >= l.indent) stack.pop();
    const def = DEF_RE.exec(l.code);
    const cls = def ? null : CLASS_RE.exec(l.code);
    const name = def?.[2] ?? cls?.[1];
    if (name === undefined) return;
    const colon = headerColon(l.code);
    const qualifiedName = [...stack.map((s) => s.name), name].join('.');
    blocks.push({
      kind: def ? 'def' : 'class',
      name,
      qualifiedName,
      isAsync: def?.[1] !== undefined,
      index,
      inlineBody: colon < 0 ? '' : l.code.slice(colon).trim(),
      headerEnd: l.end,
    });
    stack.push({ indent: l.indent, name });
  });
  const out: PythonFunction[] = [];
  for (const b of blocks) {
    if (b.kind !== 'def') continue;
    const header = lines[b.index];
    if (header === undefined) continue;
    let first = b.index;
    while (first > 0) {
      const prev = lines[first - 1];
      if (prev === undefined || prev.indent !== header.indent || !prev.code.startsWith('@')) break;
      first -= 1;
    }
    const body: LogicalLine[] = [];
    if (b.inlineBody === '') {
      for (let j = b.index + 1; j < lines.length; j++) {
        const l = lines[j];
        if (l === undefined || l.indent <= header.indent) break;
        body.push(l);
      }
    }
    const firstBody = body[0];
    const lastBody = body[body.length - 1];
    const bodyLevel = firstBody?.indent ?? 0;
    const statements =
      b.inlineBody !== ''
        ? splitInline(b.inlineBody)
        : body.filter((l) => l.indent === bodyLevel).flatMap((l) => splitInline(l.code));
    out.push({
      name: b.name,
      qualifiedName: b.qualifiedName,
      startLine: lines[first]?.start ?? header.start,
      defLine: header.start,
      headerEndLine: header.end,
      bodyStartLine: firstBody?.start ?? header.end,
      endLine: lastBody?.end ?? header.end,
      indent: header.indent,
      isAsync: b.isAsync,
      isStub: body.every((l) => l.indent === bodyLevel) && statements.every(isStubStatement),
    });
  }
  return out;
}

/**
 * Finds a function by simple or qualified name (`total`, `Cart.total`). A qualified name must
 * match exactly; a simple name prefers the shallowest definition, then the first in the file.
 */
export function findPythonFunction(text: string, name: string): PythonFunction | null {
  const all = pythonFunctions(text);
  const exact = all.find((f) => f.qualifiedName === name);
  if (exact) return exact;
  if (name.includes('.')) return null;
  let best: PythonFunction | null = null;
  for (const f of all) {
    if (f.name !== name) continue;
    const depth = f.qualifiedName.split('.').length;
    if (best === null || depth < best.qualifiedName.split('.').length) best = f;
  }
  return best;
}

/** The innermost function whose definition (decorators included) spans the 0-based `line`. */
export function pythonFunctionAt(text: string, line: number): PythonFunction | null {
  let best: PythonFunction | null = null;
  for (const f of pythonFunctions(text)) {
    if (line < f.startLine || line > f.endLine) continue;
    if (best === null || f.startLine >= best.startLine) best = f;
  }
  return best;
}
