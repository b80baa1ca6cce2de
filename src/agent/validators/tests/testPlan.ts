import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { findRelatedTests } from './relatedTests';

const IS_WINDOWS = process.platform === 'win32';

/** How to run the tests for one file, relative to the project (run in its copy). */
export interface TestPlan {
  kind: 'configured' | 'npm' | 'vitest' | 'mocha' | 'node';
  command: string;
  args: string[];
  /** For messages: what the user would type. */
  display: string;
}

/** A plan, no tests to run, or tests that exist but cannot be run here (and why). */
export type PlanOutcome =
  { kind: 'run'; plan: TestPlan } | { kind: 'none' } | { kind: 'cannotRun'; reason: string };

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

function readPackageJson(projectDir: string): PackageJson {
  try {
    const doc = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as unknown;
    return typeof doc === 'object' && doc !== null ? (doc as PackageJson) : {};
  } catch {
    return {};
  }
}

/** A command line for the platform's shell (user-written commands use pipes, `&&`, quotes). */
export function shellPlan(kind: 'configured' | 'npm', line: string): TestPlan {
  return IS_WINDOWS
    ? { kind, command: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', line], display: line }
    : { kind, command: '/bin/sh', args: ['-c', line], display: line };
}

/** A package's command from the nearest node_modules/.bin, as `npx` would find it without installing. */
function findBin(projectDir: string, name: string): string | undefined {
  let dir = resolve(projectDir);
  for (;;) {
    for (const file of IS_WINDOWS ? [`${name}.cmd`, name] : [name]) {
      const p = join(dir, 'node_modules', '.bin', file);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function hasAny(dir: string, names: readonly string[]): boolean {
  return names.some((n) => existsSync(join(dir, n)));
}

function canResolve(projectDir: string, id: string): boolean {
  try {
    createRequire(join(projectDir, 'package.json')).resolve(id);
    return true;
  } catch {
    return false;
  }
}

/** Parses `v22.6.0` into [22, 6]. */
export function nodeMajorMinor(version: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * Node flags to load TypeScript test files: the project's tsx when it has one (it handles enums
 * and decorators too); else Node's own type stripping (on by default from 23.6, behind a flag
 * from 22.6); undefined when neither is there.
 */
function typeScriptFlags(projectDir: string, nodeVersion: string): string[] | undefined {
  if (canResolve(projectDir, 'tsx')) return ['--import', 'tsx'];
  const [major, minor] = nodeMajorMinor(nodeVersion);
  if (major > 23 || (major === 23 && minor >= 6)) return [];
  if (major === 23 || (major === 22 && minor >= 6)) return ['--experimental-strip-types'];
  return undefined;
}

const VITEST_CONFIGS = ['ts', 'js', 'mjs', 'cjs', 'mts', 'cts'].map((e) => `vitest.config.${e}`);
const MOCHA_CONFIGS = [
  '.mocharc.js',
  '.mocharc.cjs',
  '.mocharc.mjs',
  '.mocharc.json',
  '.mocharc.jsonc',
  '.mocharc.yaml',
  '.mocharc.yml',
];

/**
 * Chooses how to test `file`: the configured command when there is one (always run); otherwise,
 * only when related test files exist, the package's `test` script (unless it is npm's
 * placeholder), Vitest or Mocha on the related files when the project uses them, and else
 * `node --test` on the related files. `nodeVersion` is that of the `node` the tests run with.
 */
export function planTests(
  projectDir: string,
  file: string,
  opts: { testCommand?: string; nodeVersion: string },
): PlanOutcome {
  const configured = opts.testCommand?.trim();
  if (configured) return { kind: 'run', plan: shellPlan('configured', configured) };
  const related = findRelatedTests(projectDir, file);
  if (related.length === 0) return { kind: 'none' };
  const rel = related.map((p) => relative(projectDir, p));
  const pkg = readPackageJson(projectDir);
  const script = pkg.scripts?.test;
  if (typeof script === 'string' && script.trim() !== '' && !/no test specified/i.test(script)) {
    return { kind: 'run', plan: shellPlan('npm', 'npm test --silent') };
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if (hasAny(projectDir, VITEST_CONFIGS) || 'vitest' in deps) {
    const bin = findBin(projectDir, 'vitest');
    if (!bin)
      return {
        kind: 'cannotRun',
        reason: 'the project uses Vitest but it is not installed (run npm install)',
      };
    const args = ['run', ...rel, '--reporter=json'];
    return {
      kind: 'run',
      plan: { kind: 'vitest', command: bin, args, display: `npx vitest ${args.join(' ')}` },
    };
  }
  if (hasAny(projectDir, MOCHA_CONFIGS) || 'mocha' in deps) {
    const bin = findBin(projectDir, 'mocha');
    if (!bin)
      return {
        kind: 'cannotRun',
        reason: 'the project uses Mocha but it is not installed (run npm install)',
      };
    const args = [...rel, '--reporter', 'json'];
    return {
      kind: 'run',
      plan: { kind: 'mocha', command: bin, args, display: `npx mocha ${args.join(' ')}` },
    };
  }
  const hasTypeScript = related.some((p) => /^\.[cm]?tsx?$/i.test(extname(p)));
  const tsFlags = hasTypeScript ? typeScriptFlags(projectDir, opts.nodeVersion) : [];
  if (tsFlags === undefined) {
    return {
      kind: 'cannotRun',
      reason: `TypeScript tests need Node 22.6 or later (found ${opts.nodeVersion}) or tsx in the project`,
    };
  }
  const args = [...tsFlags, '--test', '--test-reporter=tap', ...rel];
  return { kind: 'run', plan: { kind: 'node', command: 'node', args, display: `node ${args.join(' ')}` } };
}
