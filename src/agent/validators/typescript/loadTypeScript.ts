import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TS from 'typescript';

/** The TypeScript module type (classic compiler API). */
export type TypeScriptModule = typeof TS;

const cache = new Map<string, TypeScriptModule>();

function usable(ts: Partial<TypeScriptModule> | undefined): ts is TypeScriptModule {
  if (!ts || typeof ts.createLanguageService !== 'function' || typeof ts.version !== 'string') return false;
  const major = Number(ts.version.split('.')[0]);
  return major >= 4 && major <= 6;
}

/**
 * The workspace's own `typescript` when it has the classic compiler API (4.x–6.x), so results
 * match the project's `tsc`; otherwise the copy shipped with Anneal. TypeScript 7 is native and
 * has no such API, so a project on it is checked with the shipped 5.9.
 */
export function loadTypeScript(projectDir: string): {
  ts: TypeScriptModule;
  source: 'workspace' | 'bundled';
} {
  try {
    const req = createRequire(join(projectDir, 'package.json'));
    const resolved = req.resolve('typescript');
    let ts = cache.get(resolved);
    if (!ts) {
      ts = req('typescript') as TypeScriptModule;
      if (usable(ts)) cache.set(resolved, ts);
    }
    if (usable(ts))
      return { ts, source: resolved.includes(`${'/'}dist/node_modules/`) ? 'bundled' : 'workspace' };
  } catch {
    // No typescript in the workspace: fall through to the bundled one.
  }
  return { ts: bundledTypeScript(), source: 'bundled' };
}

let bundled: TypeScriptModule | undefined;
/** The TypeScript shipped next to the bundle (dist/node_modules/typescript) or in node_modules. */
export function bundledTypeScript(): TypeScriptModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bundled ??= require('typescript') as TypeScriptModule;
  return bundled;
}
