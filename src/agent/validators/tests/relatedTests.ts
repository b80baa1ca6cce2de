import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

const SCRIPT_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/i;
/** Project-level test folders searched by name (bounded: depth and entry count). */
const TEST_DIRS = ['test', 'tests', '__tests__', 'spec'];
const MAX_DEPTH = 6;
const MAX_ENTRIES = 5000;

/** Whether a path names a test file by the usual convention (`x.test.ts`, `x.spec.js`). */
export function isTestFile(file: string): boolean {
  return TEST_FILE.test(file);
}

/** Whether a path is JavaScript or TypeScript source that a JS test runner loads. */
export function isScriptFile(file: string): boolean {
  return SCRIPT_EXTS.includes(extname(file).toLowerCase());
}

function testNames(stem: string): Set<string> {
  const names = new Set<string>();
  for (const ext of SCRIPT_EXTS) {
    names.add(`${stem}.test${ext}`);
    names.add(`${stem}.spec${ext}`);
  }
  return names;
}

function walk(
  dir: string,
  depth: number,
  seen: { n: number },
  visit: (file: string, name: string) => void,
): void {
  if (depth > MAX_DEPTH || seen.n > MAX_ENTRIES) return;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    seen.n += 1;
    if (seen.n > MAX_ENTRIES) return;
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'fixtures') continue;
      walk(join(dir, e.name), depth + 1, seen, visit);
    } else if (e.isFile()) {
      visit(join(dir, e.name), e.name);
    }
  }
}

/**
 * The test files that exercise `file`: `foo.test.*` / `foo.spec.*` next to it, `__tests__/foo.*`
 * beside it, and `foo.*`, `foo.test.*`, `foo.spec.*` anywhere under the project's `test/`,
 * `tests/`, `__tests__/` or `spec/` folders. A test file is its own related test. Sorted.
 */
export function findRelatedTests(projectDir: string, file: string): string[] {
  const target = resolve(file);
  if (isTestFile(target)) return [target];
  const ext = extname(target);
  const stem = basename(target, ext);
  if (stem === '' || !isScriptFile(target)) return [];
  const names = testNames(stem);
  const found = new Set<string>();
  const dir = dirname(target);
  for (const name of names) {
    const p = join(dir, name);
    if (existsSync(p)) found.add(p);
  }
  const inTestDir = (p: string, name: string): void => {
    const nameExt = extname(name);
    if (names.has(name) || (isScriptFile(name) && basename(name, nameExt) === stem && p !== target))
      found.add(p);
  };
  const seen = { n: 0 };
  walk(join(dir, '__tests__'), 0, seen, inTestDir);
  const root = resolve(projectDir);
  for (const d of TEST_DIRS) {
    const p = join(root, d);
    if (p !== join(dir, '__tests__')) walk(p, 0, seen, inTestDir);
  }
  return [...found].sort();
}
