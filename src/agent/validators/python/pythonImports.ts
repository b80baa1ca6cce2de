import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pythonLogicalLines } from '../../engine/pythonSymbols';

/** Where an undefined name can come from: `import os` or `from pathlib import Path`. */
export interface ImportCandidate {
  module: string;
  /** Absent for `import module`. */
  name?: string;
}

/** Standard-library modules commonly used by bare name (`os.path`, `json.loads`). */
const STDLIB_MODULES = new Set([
  'abc',
  'argparse',
  'array',
  'ast',
  'asyncio',
  'base64',
  'bisect',
  'calendar',
  'codecs',
  'collections',
  'contextlib',
  'copy',
  'csv',
  'dataclasses',
  'decimal',
  'difflib',
  'enum',
  'errno',
  'fnmatch',
  'fractions',
  'functools',
  'gc',
  'glob',
  'gzip',
  'hashlib',
  'heapq',
  'hmac',
  'html',
  'http',
  'importlib',
  'inspect',
  'io',
  'itertools',
  'json',
  'logging',
  'math',
  'operator',
  'os',
  'pathlib',
  'pickle',
  'platform',
  'pprint',
  'queue',
  'random',
  're',
  'secrets',
  'shlex',
  'shutil',
  'signal',
  'socket',
  'sqlite3',
  'statistics',
  'string',
  'struct',
  'subprocess',
  'sys',
  'tempfile',
  'textwrap',
  'threading',
  'time',
  'traceback',
  'types',
  'typing',
  'unicodedata',
  'unittest',
  'urllib',
  'uuid',
  'warnings',
  'weakref',
  'zipfile',
  'zlib',
]);

/**
 * Names conventionally imported from one standard-library module. Names with two usual homes
 * (`datetime`, `sleep`, `Counter` from typing or collections is settled on collections) are left
 * out so that the model decides.
 */
const STDLIB_NAMES: Readonly<Record<string, string>> = {
  Path: 'pathlib',
  PurePath: 'pathlib',
  dataclass: 'dataclasses',
  field: 'dataclasses',
  fields: 'dataclasses',
  asdict: 'dataclasses',
  astuple: 'dataclasses',
  Any: 'typing',
  Optional: 'typing',
  List: 'typing',
  Dict: 'typing',
  Set: 'typing',
  FrozenSet: 'typing',
  Tuple: 'typing',
  Union: 'typing',
  Callable: 'typing',
  Iterable: 'typing',
  Iterator: 'typing',
  Generator: 'typing',
  Sequence: 'typing',
  Mapping: 'typing',
  MutableMapping: 'typing',
  TypeVar: 'typing',
  Generic: 'typing',
  Protocol: 'typing',
  Literal: 'typing',
  Final: 'typing',
  ClassVar: 'typing',
  NamedTuple: 'typing',
  TypedDict: 'typing',
  NoReturn: 'typing',
  Type: 'typing',
  Annotated: 'typing',
  Awaitable: 'typing',
  TYPE_CHECKING: 'typing',
  cast: 'typing',
  overload: 'typing',
  defaultdict: 'collections',
  Counter: 'collections',
  deque: 'collections',
  OrderedDict: 'collections',
  namedtuple: 'collections',
  ChainMap: 'collections',
  timedelta: 'datetime',
  timezone: 'datetime',
  partial: 'functools',
  reduce: 'functools',
  wraps: 'functools',
  lru_cache: 'functools',
  cached_property: 'functools',
  total_ordering: 'functools',
  Enum: 'enum',
  IntEnum: 'enum',
  auto: 'enum',
  ABC: 'abc',
  abstractmethod: 'abc',
  contextmanager: 'contextlib',
  asynccontextmanager: 'contextlib',
  suppress: 'contextlib',
  Decimal: 'decimal',
  Fraction: 'fractions',
  deepcopy: 'copy',
  uuid4: 'uuid',
  heappush: 'heapq',
  heappop: 'heapq',
  heapify: 'heapq',
  bisect_left: 'bisect',
  bisect_right: 'bisect',
  insort: 'bisect',
  zip_longest: 'itertools',
  groupby: 'itertools',
  islice: 'itertools',
  permutations: 'itertools',
  combinations: 'itertools',
  sqrt: 'math',
  floor: 'math',
  ceil: 'math',
};

const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.venv',
  'venv',
  'env',
  '.env',
  'node_modules',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  'build',
  'dist',
  'site-packages',
]);

/** Bounds on the sibling scan so that a large tree costs little. */
const MAX_SCAN_FILES = 400;
const MAX_SCAN_DEPTH = 4;
const MAX_FILE_BYTES = 512 * 1024;

/** Lists .py files under `root`, skipping virtual environments, caches and VCS folders. */
export async function listPythonFiles(root: string, limit = MAX_SCAN_FILES): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (out.length >= limit || depth > MAX_SCAN_DEPTH) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || e.name.endsWith('.egg-info')) continue;
        if (existsSync(join(dir, e.name, 'pyvenv.cfg'))) continue;
        await walk(join(dir, e.name), depth + 1);
      } else if (e.isFile() && e.name.endsWith('.py')) {
        out.push(join(dir, e.name));
      }
    }
  };
  await walk(root, 0);
  return out;
}

/** The dotted module path of a file and the folder it is importable from (the package root). */
export function modulePathOf(file: string): { module: string; root: string } {
  let dir = dirname(file);
  const stem = basename(file).replace(/\.pyi?$/, '');
  const parts = stem === '__init__' ? [] : [stem];
  while (existsSync(join(dir, '__init__.py'))) {
    parts.unshift(basename(dir));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { module: parts.join('.'), root: dir };
}

function isTestFile(file: string): boolean {
  const b = basename(file);
  return b === 'conftest.py' || b.startsWith('test_') || b.endsWith('_test.py');
}

/** Top-level names a module defines: functions, classes and simple assignments. */
export function topLevelNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const l of pythonLogicalLines(text)) {
    if (l.indent !== 0) continue;
    const m =
      /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(l.code) ??
      /^class\s+([A-Za-z_]\w*)/.exec(l.code) ??
      /^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/.exec(l.code);
    if (m?.[1] && !m[1].startsWith('_')) names.add(m[1]);
  }
  return names;
}

/** Names exported by the project's other modules, mapped to every module that defines them. */
export async function siblingExports(
  projectDir: string,
  targetFile: string,
): Promise<Map<string, ImportCandidate[]>> {
  const target = resolve(targetFile);
  const targetRoot = modulePathOf(target).root;
  const roots = new Set([targetRoot, resolve(projectDir), join(resolve(projectDir), 'src')]);
  const out = new Map<string, ImportCandidate[]>();
  for (const file of await listPythonFiles(projectDir)) {
    if (resolve(file) === target || isTestFile(file)) continue;
    const { module, root } = modulePathOf(file);
    if (module === '' || !roots.has(root)) continue;
    let text: string;
    try {
      if ((await stat(file)).size > MAX_FILE_BYTES) continue;
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const name of topLevelNames(text)) {
      const list = out.get(name) ?? [];
      list.push({ module, name });
      out.set(name, list);
    }
  }
  return out;
}

/** Whether every use of `name` in `text` is an attribute access (`name.attr`), as for a module. */
function usedAsModule(text: string, name: string): boolean {
  const re = new RegExp(`(?<![\\w.])${name}\\b(\\s*\\.)?`, 'g');
  let any = false;
  for (const m of text.matchAll(re)) {
    if (m[1] === undefined) return false;
    any = true;
  }
  return any;
}

/**
 * The one import that would define `name`, or null when there is none or more than one
 * (ambiguity goes to the model). `siblings` comes from `siblingExports`.
 */
export function resolveImport(
  name: string,
  text: string,
  siblings: ReadonlyMap<string, readonly ImportCandidate[]>,
): ImportCandidate | null {
  const found: ImportCandidate[] = [];
  if (STDLIB_MODULES.has(name) && usedAsModule(text, name)) found.push({ module: name });
  const fromStdlib = Object.hasOwn(STDLIB_NAMES, name) ? STDLIB_NAMES[name] : undefined;
  if (fromStdlib !== undefined) found.push({ module: fromStdlib, name });
  for (const c of siblings.get(name) ?? []) {
    if (!found.some((f) => f.module === c.module && f.name === c.name)) found.push(c);
  }
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** Whether `name` is a standard-library module or a conventional standard-library import. */
export function isKnownStdlibName(name: string): boolean {
  return STDLIB_MODULES.has(name) || Object.hasOwn(STDLIB_NAMES, name);
}

/** The import statement for a candidate. */
export function importStatement(c: ImportCandidate): string {
  return c.name === undefined ? `import ${c.module}` : `from ${c.module} import ${c.name}`;
}

/**
 * Adds an import to `text`: merged into an existing one-line `from module import …` when there
 * is one, else after the leading imports (or after the module docstring and `from __future__`).
 */
export function insertImport(text: string, c: ImportCandidate): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const logical = pythonLogicalLines(text);
  let anchor = -1;
  let sawImport = false;
  for (let i = 0; i < logical.length; i++) {
    const l = logical[i];
    if (l === undefined || l.indent !== 0) break;
    if (i === 0 && /^(?:[rRuU]?"S"\s*)+$/.test(l.code)) {
      anchor = l.end;
      continue;
    }
    if (/^(import|from)\s/.test(l.code)) {
      if (c.name !== undefined && l.start === l.end) {
        const physical = lines[l.start] ?? '';
        const m = /^from\s+([\w.]+)\s+import\s+([\w\s,]+?)\s*$/.exec(physical);
        if (m?.[1] === c.module && m[2] !== undefined) {
          const names = m[2].split(',').map((s) => s.trim());
          if (names.includes(c.name)) return text;
          lines[l.start] = `from ${c.module} import ${[...names, c.name].join(', ')}`;
          return lines.join(eol);
        }
      }
      anchor = l.end;
      sawImport = true;
      continue;
    }
    break;
  }
  const statement = importStatement(c);
  if (anchor < 0) {
    // Keep a shebang or an encoding line first.
    let at = 0;
    while (at < lines.length && /^#(!|.*coding[:=])/.test(lines[at] ?? '')) at++;
    const after = lines[at] ?? '';
    lines.splice(at, 0, ...(after.trim() === '' ? [statement] : [statement, '']));
    return lines.join(eol);
  }
  if (sawImport) {
    lines.splice(anchor + 1, 0, statement);
  } else {
    // After a docstring: one blank line before the import, and one after it before code.
    const next = lines[anchor + 1];
    const tail = next !== undefined && next.trim() !== '' ? [''] : [];
    lines.splice(anchor + 1, 0, '', statement, ...tail);
  }
  return lines.join(eol);
}

/** Whether `file` sits inside `dir`. */
export function isInside(dir: string, file: string): boolean {
  const rel = relative(resolve(dir), resolve(file));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}

const SIBLING_CACHE_MS = 10_000;
const siblingCache = new Map<string, { at: number; value: Promise<Map<string, ImportCandidate[]>> }>();

/**
 * `siblingExports` cached for a few seconds: one run validates many candidates of the same file,
 * and the other modules do not change meanwhile (they are on disk; only the target is in memory).
 */
export function cachedSiblingExports(
  projectDir: string,
  targetFile: string,
): Promise<Map<string, ImportCandidate[]>> {
  const key = `${resolve(projectDir)}\u0000${resolve(targetFile)}`;
  const now = Date.now();
  const hit = siblingCache.get(key);
  if (hit && now - hit.at < SIBLING_CACHE_MS) return hit.value;
  for (const [k, v] of siblingCache) if (now - v.at >= SIBLING_CACHE_MS) siblingCache.delete(k);
  const value = siblingExports(projectDir, targetFile);
  siblingCache.set(key, { at: now, value });
  return value;
}
