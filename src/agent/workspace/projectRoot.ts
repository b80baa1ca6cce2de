import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const MARKERS = [
  'tsconfig.json',
  'package.json',
  'pyproject.toml',
  'setup.cfg',
  'setup.py',
  'pyrightconfig.json',
];

/**
 * The nearest ancestor of `file` holding a tsconfig.json or package.json (or, for Python, a
 * pyproject.toml / setup.cfg), not above `stopAt`. Falls back to the file's own folder.
 */
export function findProjectRoot(file: string, stopAt?: string): string {
  const start = dirname(resolve(file));
  const stop = stopAt ? resolve(stopAt) : undefined;
  let dir = start;
  for (;;) {
    if (MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (stop && dir === stop) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return start;
}
