import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const FLAT_CONFIG_FILES = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
];
const LEGACY_CONFIG_FILES = [
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.yaml',
  '.eslintrc.yml',
  '.eslintrc.json',
  '.eslintrc',
];

/** An ESLint configuration file and which format it is in. */
export interface EslintConfigFile {
  path: string;
  /** `eslint.config.*` (flat) rather than `.eslintrc*` / package.json `eslintConfig` (legacy). */
  flat: boolean;
}

/** The `eslint` package a project installed itself. */
export interface ProjectEslint {
  /** The package's main module, as resolved from the project. */
  entry: string;
  version: string;
  major: number;
}

function isInsideOrSame(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

function packageJsonHasEslintConfig(dir: string): boolean {
  const p = join(dir, 'package.json');
  if (!existsSync(p)) return false;
  try {
    const pkg = JSON.parse(readFileSync(p, 'utf8')) as unknown;
    return typeof pkg === 'object' && pkg !== null && 'eslintConfig' in pkg;
  } catch {
    return false;
  }
}

/** The ESLint configuration directly in `dir`, flat first (ESLint itself prefers it). */
function configIn(dir: string): EslintConfigFile | undefined {
  for (const name of FLAT_CONFIG_FILES) {
    const p = join(dir, name);
    if (existsSync(p)) return { path: p, flat: true };
  }
  for (const name of LEGACY_CONFIG_FILES) {
    const p = join(dir, name);
    if (existsSync(p)) return { path: p, flat: false };
  }
  if (packageJsonHasEslintConfig(dir)) return { path: join(dir, 'package.json'), flat: false };
  return undefined;
}

/**
 * The nearest ESLint configuration from `fromDir` up to `stopDir` (inclusive). The search never
 * leaves `stopDir`, so a configuration above the workspace (a home folder, an enclosing repo)
 * does not switch ESLint on for a project that has none.
 */
export function findEslintConfig(fromDir: string, stopDir: string): EslintConfigFile | undefined {
  const stop = resolve(stopDir);
  let dir = resolve(fromDir);
  if (!isInsideOrSame(stop, dir)) dir = stop;
  for (;;) {
    const found = configIn(dir);
    if (found) return found;
    if (dir === stop) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The config file's modification time, so that an edited configuration is picked up. */
export function configStamp(config: EslintConfigFile): number {
  try {
    return statSync(config.path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The `eslint` package as Node resolves it from the project (its own node_modules or an
 * enclosing one). Never Anneal's own copy: a project's rules, plugins and parser versions go
 * with the ESLint it installed.
 */
export function resolveProjectEslint(projectDir: string): ProjectEslint | undefined {
  const req = createRequire(join(resolve(projectDir), 'package.json'));
  let entry: string;
  try {
    entry = req.resolve('eslint');
  } catch {
    return undefined;
  }
  let version: string;
  try {
    version = (req('eslint/package.json') as { version?: string }).version ?? '';
  } catch {
    // Very old packages without an exports entry for package.json: read it next to the entry.
    let dir = dirname(entry);
    while (dir !== dirname(dir) && !existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    try {
      version =
        (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
    } catch {
      return undefined;
    }
  }
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (!Number.isFinite(major)) return undefined;
  return { entry, version, major };
}

/** Whether this ESLint can read this configuration: eslintrc ended with ESLint 10, flat began in 8.21. */
export function supportsConfig(eslint: ProjectEslint, config: EslintConfigFile): boolean {
  if (config.flat) return eslint.major >= 8;
  return eslint.major >= 7 && eslint.major <= 9;
}
