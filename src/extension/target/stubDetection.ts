/**
 * Whether a function's source (its whole declaration) has an empty or placeholder body, so that
 * "Generate with Anneal" is worth offering. A heuristic: brace languages and Python.
 */
export function isStubFunction(source: string, languageId: string): boolean {
  return languageId === 'python' ? isPythonStub(source) : isBraceStub(source);
}

const BRACE_PLACEHOLDERS = [
  /^throw\s+new\s+\w*Error\s*\(.*\)\s*;?$/s,
  /^throw\s+\w*Error\s*\(.*\)\s*;?$/s,
  /^return\s*;?$/,
  /^return\s+(undefined|null|0|''|""|\[\]|\{\}|false)\s*;?$/,
  /^(unimplemented|todo)!\s*\(.*\)\s*;?$/s,
  /^panic\s*\(.*\)\s*;?$/s,
  /^throw\s+new\s+UnsupportedOperationException\s*\(.*\)\s*;?$/s,
];

function isBraceStub(source: string): boolean {
  const code = stripCComments(source);
  // The body opens at the first `{` after the parameter list closes (or after `=>`).
  const paramsEnd = code.indexOf(')');
  const open = code.indexOf('{', paramsEnd === -1 ? 0 : paramsEnd);
  const close = code.lastIndexOf('}');
  if (open === -1 || close <= open) return false;
  const body = code.slice(open + 1, close).trim();
  if (body === '') return true;
  return BRACE_PLACEHOLDERS.some((re) => re.test(body));
}

function stripCComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

function isPythonStub(source: string): boolean {
  // The header ends at the first `:` outside brackets after `def`; the body is what follows.
  const def = /\bdef\b/.exec(source);
  if (!def) return false;
  let depth = 0;
  let colon = -1;
  for (let i = def.index; i < source.length; i++) {
    const c = source[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ':' && depth === 0) {
      colon = i;
      break;
    }
  }
  if (colon === -1) return false;
  let body = source
    .slice(colon + 1)
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '')
    .join('\n');
  // A leading docstring does not count as a body.
  body = body
    .replace(/^[rRbBuU]?("""|''')[\s\S]*?\1\s*/, '')
    .replace(/^[rRbBuU]?(["'])[^\n]*?\1\s*(\n|$)/, '');
  body = body.trim();
  if (body === '') return true;
  return /^(pass|\.\.\.|raise\s+NotImplementedError(\(.*\))?)$/s.test(body);
}
