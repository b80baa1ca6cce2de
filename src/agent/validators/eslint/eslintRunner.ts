import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { AnnealError } from '../../annealError';
import {
  configStamp,
  findEslintConfig,
  supportsConfig,
  type EslintConfigFile,
  type ProjectEslint,
} from './projectEslint';

/**
 * The parts of ESLint's API used here, typed locally: the package is the project's own, of any
 * version from 7 to 10, so Anneal's devDependency types would claim more than is there.
 */
export interface LintMessage {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  endLine?: number;
  endColumn?: number;
  ruleId: string | null;
  message: string;
  fatal?: boolean;
  severity: number;
  /** The rule's own fix: an offset range in the BOM-less text and its replacement. */
  fix?: { range: [number, number]; text: string };
}

interface LintResult {
  messages: LintMessage[];
}

interface EslintInstance {
  lintText(code: string, options?: { filePath?: string; warnIgnored?: boolean }): Promise<LintResult[]>;
}

type EslintClass = new (options: { cwd: string }) => EslintInstance;

interface EslintModule {
  ESLint?: EslintClass;
  loadESLint?: (options?: { useFlatConfig?: boolean; cwd?: string }) => Promise<EslintClass>;
}

/** What the ESLint validator and fixer share for one project. */
export interface EslintContext {
  projectDir: string;
  /** Configuration files are looked for from the file's folder up to here. */
  stopDir: string;
  eslint: ProjectEslint;
  /** Upper bound on one in-process lint; a config that hangs must not hang the run. */
  timeoutMs: number;
  /** Workspace Trust: ESLint configurations run the workspace's code. */
  trusted: boolean;
}

/** The lint of one text, or why ESLint could not produce one. */
export type LintOutcome =
  { kind: 'ok'; messages: LintMessage[] } | { kind: 'noConfig' } | { kind: 'failed'; reason: string };

const MAX_CACHED = 16;
/** Warm ESLint instances (configuration and plugins loaded) by project, format and config stamp. */
const instances = new Map<string, Promise<EslintInstance>>();

async function eslintClass(pkg: ProjectEslint, flat: boolean): Promise<EslintClass> {
  const req = createRequire(pkg.entry);
  const mod = req(pkg.entry) as EslintModule;
  // ESLint 10 reads only flat configs and its loadESLint takes no options.
  if (pkg.major >= 10 && mod.ESLint) return mod.ESLint;
  // 8.57 and 9: loadESLint picks the class for either format, regardless of ESLINT_USE_FLAT_CONFIG.
  if (typeof mod.loadESLint === 'function') return mod.loadESLint({ useFlatConfig: flat });
  if (flat) {
    const unsupported = req('eslint/use-at-your-own-risk') as { FlatESLint?: EslintClass };
    if (unsupported.FlatESLint) return unsupported.FlatESLint;
    throw new Error(`ESLint ${pkg.version} cannot read eslint.config files (ESLint 8.21 or later can)`);
  }
  if (!mod.ESLint) throw new Error(`ESLint ${pkg.version} has no ESLint class (ESLint 7 or later is needed)`);
  return mod.ESLint;
}

function instanceFor(
  ctx: EslintContext,
  config: EslintConfigFile,
): { key: string; instance: Promise<EslintInstance> } {
  // Flat configs are looked up from cwd by ESLint 9 (from the file by ESLint 10): start at the config's folder.
  const cwd = config.flat ? dirname(config.path) : ctx.projectDir;
  const key = [
    ctx.eslint.entry,
    cwd,
    config.flat ? 'flat' : 'eslintrc',
    config.path,
    configStamp(config),
  ].join('\u0000');
  let instance = instances.get(key);
  if (instance) {
    instances.delete(key);
  } else {
    instance = eslintClass(ctx.eslint, config.flat).then((Ctor) => new Ctor({ cwd }));
    // A failed load is not kept: the next lint tries again (the user may have fixed the config).
    instance.catch(() => instances.delete(key));
  }
  instances.set(key, instance);
  while (instances.size > MAX_CACHED) {
    const oldest = instances.keys().next().value;
    if (oldest === undefined) break;
    instances.delete(oldest);
  }
  return { key, instance };
}

function describe(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').slice(0, 8).join('\n');
}

/**
 * Lints `text` as if it were `file`, in memory, with the project's own ESLint. ESLint runs in
 * this process, so the timeout cannot stop a runaway rule; it stops the wait, and the lint's
 * eventual result is dropped. Rejects only with `cancelled` or `untrusted`.
 */
export async function lintCandidate(
  ctx: EslintContext,
  file: string,
  text: string,
  signal?: AbortSignal,
): Promise<LintOutcome> {
  if (!ctx.trusted) {
    throw new AnnealError(
      'untrusted',
      'ESLint runs the workspace configuration, so it runs only in a trusted workspace.',
    );
  }
  signal?.throwIfAborted();
  const config = findEslintConfig(dirname(file), ctx.stopDir);
  if (!config || !supportsConfig(ctx.eslint, config)) return { kind: 'noConfig' };
  const { key, instance } = instanceFor(ctx, config);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`ESLint took longer than ${Math.round(ctx.timeoutMs / 1000)} s and was abandoned`)),
      ctx.timeoutMs,
    );
    onAbort = () => reject(new AnnealError('cancelled', 'The run was cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const lint = instance.then((eslint) => eslint.lintText(text, { filePath: file, warnIgnored: false }));
    lint.catch(() => undefined);
    const results = await Promise.race([lint, stop]);
    return { kind: 'ok', messages: results.flatMap((r) => r.messages) };
  } catch (e) {
    if (AnnealError.is(e, 'cancelled')) throw e;
    instances.delete(key);
    return { kind: 'failed', reason: describe(e) };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
