import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the tools installed by scripts/e2e/setup.sh live. */
export interface E2eTools {
  cache: string;
  node24: string;
  codeServer: string;
  chromium: string;
}

/** The checkout root (this file is test/e2e/support/e2eEnv.ts). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** Failure artifacts go under here, one folder per test. */
export const resultsRoot = process.env.ANNEAL_TEST_RESULTS ?? join(repoRoot, 'test-results');

const setupHint = 'Run `npm run e2e:setup` (bash scripts/e2e/setup.sh) first.';

/**
 * Finds the tools: ANNEAL_* variables win, then CACHE/env.json written by setup.sh. Throws with
 * the setup command when something is missing, so a missing install fails loudly.
 */
export function e2eTools(): E2eTools {
  const cache = process.env.ANNEAL_E2E_CACHE ?? join(homedir(), '.cache', 'anneal-e2e');
  const envFile = join(cache, 'env.json');
  let fromFile: Partial<Record<string, string>> = {};
  if (existsSync(envFile)) fromFile = JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>;
  const tools = {
    cache,
    node24: process.env.ANNEAL_NODE24 ?? fromFile.node24,
    codeServer: process.env.ANNEAL_CODE_SERVER ?? fromFile.codeServer,
    chromium: process.env.ANNEAL_CHROMIUM ?? fromFile.chromium,
  };
  for (const [name, path] of Object.entries(tools)) {
    if (!path || !existsSync(path)) {
      throw new Error(
        `E2E tool '${name}' not found${path ? ` at ${path}` : ''} (cache ${cache}). ${setupHint}`,
      );
    }
  }
  return tools as E2eTools;
}

/**
 * The extension under test: the checkout by default; ANNEAL_E2E_EXTENSION_DIR points the
 * harness at another built extension. It must be built: tests run dist/, never sources.
 */
export function extensionDir(): string {
  const dir = resolve(process.env.ANNEAL_E2E_EXTENSION_DIR ?? repoRoot);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: string };
  const main = join(dir, manifest.main ?? 'dist/extension.js');
  if (!existsSync(main) && !existsSync(`${main}.js`)) {
    throw new Error(`The extension is not built (${main} is missing). Run \`npm run build\` first.`);
  }
  return dir;
}

/** The extension's id (publisher.name) from its manifest. */
export function extensionId(dir = extensionDir()): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  return `${manifest.publisher}.${manifest.name}`;
}
