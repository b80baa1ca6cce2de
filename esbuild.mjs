// Builds every bundle from one script: extension, agent host, CLI, webview, and the bundled
// integration tests. Flags: --production (minify, no sourcemaps), --watch.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** Logs in the shape VS Code's `$esbuild-watch` problem matcher understands. */
const problemMatcherLog = {
  name: 'problem-matcher-log',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
  // The TypeScript compiler and the Python tools are loaded at run time from dist/node_modules
  // (or from the user's workspace), never inlined: they are large and read their own lib files.
  external: ['vscode', 'typescript', 'pyright', '@astral-sh/ruff-wasm-nodejs'],
  plugins: [problemMatcherLog],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { agent: 'src/agent/main.ts' }, outdir: 'dist' },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    metafile: true,
    entryPoints: { main: 'webview-ui/src/main.ts' },
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
    plugins: [problemMatcherLog],
  },
];

if (existsSync('test/integration/index.ts')) {
  const suites = existsSync('test/integration')
    ? readdirSync('test/integration').filter((f) => f.endsWith('.test.ts'))
    : [];
  const entryPoints = { 'test/integration/index': 'test/integration/index.ts' };
  for (const s of suites) entryPoints[`test/integration/${s.replace(/\.ts$/, '')}`] = `test/integration/${s}`;
  builds.push({ ...node, entryPoints, outdir: 'dist', external: [...node.external, 'mocha'] });
}

/** Copies the runtime pieces that are loaded from disk rather than bundled. */
function copyRuntimeAssets() {
  const tsDir = dirname(require.resolve('typescript/package.json'));
  const out = 'dist/node_modules/typescript';
  mkdirSync(join(out, 'lib'), { recursive: true });
  cpSync(join(tsDir, 'package.json'), join(out, 'package.json'));
  cpSync(join(tsDir, 'LICENSE.txt'), join(out, 'LICENSE.txt'));
  for (const f of readdirSync(join(tsDir, 'lib'))) {
    if (f === 'typescript.js' || /^lib\..*\.d\.ts$/.test(f))
      cpSync(join(tsDir, 'lib', f), join(out, 'lib', f));
  }
  const codicons = dirname(require.resolve('@vscode/codicons/package.json'));
  mkdirSync('dist/webview', { recursive: true });
  cpSync(join(codicons, 'dist', 'codicon.css'), 'dist/webview/codicon.css');
  cpSync(join(codicons, 'dist', 'codicon.ttf'), 'dist/webview/codicon.ttf');
  if (existsSync('webview-ui/src/main.css')) cpSync('webview-ui/src/main.css', 'dist/webview/main.css');
  // `anneal bench --suite builtin` reads its tasks and project templates from next to the bundle.
  mkdirSync('dist/bench/suites/builtin', { recursive: true });
  cpSync('bench/suites/builtin/tasks.jsonl', 'dist/bench/suites/builtin/tasks.jsonl');
  cpSync('bench/suites/templates', 'dist/bench/suites/templates', { recursive: true });
  for (const extra of ['pyright', '@astral-sh/ruff-wasm-nodejs']) {
    let dir;
    try {
      dir = dirname(require.resolve(`${extra}/package.json`));
    } catch {
      continue;
    }
    cpSync(dir, join('dist/node_modules', extra), { recursive: true, dereference: true });
  }
}

async function main() {
  copyRuntimeAssets();
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const meta = { inputs: {}, outputs: {} };
  for (const r of results) {
    Object.assign(meta.inputs, r.metafile.inputs);
    Object.assign(meta.outputs, r.metafile.outputs);
  }
  writeFileSync('dist/meta.json', JSON.stringify(meta));
  const sizes = Object.entries(meta.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .map(([f, o]) => `${f} ${(o.bytes / 1024).toFixed(0)} KiB`);
  console.log(`built ${sizes.join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
