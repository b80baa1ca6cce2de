import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The code base both benchmarks run on: @tiptap/core, which ships its TypeScript sources
 * (about 250 non-test files), type-checked against @tiptap/pm (ProseMirror). Pinned, including
 * the ProseMirror packages, so every run checks the same program.
 */
export const BENCH_PACKAGE = { name: '@tiptap/core', version: '3.34.0' } as const;

/** Exact versions of what the sources import, resolved once from @tiptap/pm@3.34.0's ranges. */
const PINNED_DEPENDENCIES: Record<string, string> = {
  '@tiptap/pm': '3.34.0',
  orderedmap: '2.1.1',
  'prosemirror-changeset': '2.4.6',
  'prosemirror-commands': '1.7.2',
  'prosemirror-dropcursor': '1.8.4',
  'prosemirror-gapcursor': '1.4.1',
  'prosemirror-history': '1.5.1',
  'prosemirror-inputrules': '1.6.0',
  'prosemirror-keymap': '1.2.3',
  'prosemirror-model': '1.25.13',
  'prosemirror-schema-list': '1.6.0',
  'prosemirror-state': '1.4.4',
  'prosemirror-tables': '1.8.5',
  'prosemirror-transform': '1.12.6',
  'prosemirror-view': '1.42.9',
  'rope-sequence': '1.3.4',
  'w3c-keyname': '2.2.8',
};

/**
 * A tsconfig close to the package's own build: strict, bundler resolution, tests left out (they
 * need the upstream monorepo). `types: []` keeps @types packages of folders above the cache out.
 */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    paths: { '@tiptap/core': ['./src/index.ts'] },
  },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/__tests__/**'],
};

export interface BenchProject {
  /** package@version, for printing. */
  label: string;
  /** The pristine project: never written after preparation. */
  dir: string;
  tsconfig: string;
  /** Absolute paths of the type-checked sources, sorted. */
  sources: string[];
}

/** The repository root (bench/support/ is two levels down). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export function cacheRoot(): string {
  return resolve(process.env.ANNEAL_BENCH_CACHE ?? join(REPO_ROOT, '.bench-cache'));
}

/** The repository's own tsc, the one the engine loads too. */
export function tscPath(): string {
  return require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Downloads (npm pack) and installs the benchmark package into the cache once; later runs reuse
 * it. A half-finished preparation is discarded and redone.
 */
export function prepareBenchProject(log: (line: string) => void = () => {}): BenchProject {
  const label = `${BENCH_PACKAGE.name}@${BENCH_PACKAGE.version}`;
  const dir = join(
    cacheRoot(),
    `${BENCH_PACKAGE.name.replace('@', '').replace('/', '-')}-${BENCH_PACKAGE.version}`,
  );
  const stamp = join(dir, '.ready');
  const tsconfig = join(dir, 'tsconfig.json');
  if (!existsSync(stamp)) {
    log(`preparing ${label} in ${dir} (npm pack + npm install, once)`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tarball = run('npm', ['pack', label, '--silent', '--pack-destination', dir], dir)
      .trim()
      .split('\n')
      .pop();
    if (!tarball) throw new Error(`npm pack ${label} printed no file name`);
    run('tar', ['xzf', join(dir, tarball), '-C', dir], dir);
    renameSync(join(dir, 'package', 'src'), join(dir, 'src'));
    rmSync(join(dir, 'package'), { recursive: true, force: true });
    rmSync(join(dir, tarball), { force: true });
    const manifest = {
      name: 'anneal-bench-project',
      private: true,
      dependencies: { '@tiptap/pm': PINNED_DEPENDENCIES['@tiptap/pm'] },
      overrides: Object.fromEntries(Object.entries(PINNED_DEPENDENCIES).filter(([n]) => n !== '@tiptap/pm')),
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    writeFileSync(tsconfig, JSON.stringify(TSCONFIG, null, 2) + '\n');
    writeFileSync(stamp, `${label}\n`);
  }
  return { label, dir, tsconfig, sources: listSources(dir) };
}

/** The files the tsconfig type-checks (mirrors its include/exclude). */
function listSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__tests__') walk(p);
      } else if (
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.test.ts') &&
        !entry.name.endsWith('.d.ts')
      ) {
        out.push(p);
      }
    }
  };
  walk(join(dir, 'src'));
  return out.sort();
}

/** Path relative to the project, with forward slashes (for printing and matching tsc output). */
export function projectRelative(project: { dir: string }, file: string): string {
  return relative(project.dir, file).split(sep).join('/');
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
