import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ProviderId } from '../../protocol/agentProtocol';
import { AnnealError } from '../annealError';
import type { BenchConfig, BenchResult } from './benchResult';
import { loadSuite } from './benchTask';
import { comparisonMarkdown, comparisonText, compareResults } from './compareResults';
import { engineSolver } from './engineSolver';
import { ProgressBar, formatDuration } from './progressBar';
import { pythonWithPytest } from './pythonForTests';
import { parseReportJson, pct, reportHtml, reportJson, reportMarkdown } from './reports';
import { runBench, type SolveFn } from './runBench';

export interface BenchIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Draw the progress bar in place; default: whether stderr is a terminal. */
  isTTY?: boolean;
  /** Stops the run like Ctrl+C (tests); by default SIGINT does. */
  signal?: AbortSignal;
  /** Replaces the engine (tests, other harnesses). */
  solve?: SolveFn;
}

export const BENCH_EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export const BENCH_HELP = `anneal bench — run the engine headless on a task suite and report pass@k, repair and cost figures

Usage:
  anneal bench [--suite builtin|<tasks.jsonl>] [--provider auto|openai|anthropic|openai-compatible|none]
               [--model M] [--base-url URL] [-n N] [-k 1,5] [--concurrency C] [--timeout SECONDS]
               [--test-timeout SECONDS] [--max-attempts N] [--filter TEXT] [--out DIR]
  anneal bench compare <a.json> <b.json> [--out FILE.md]

  -n                 samples per task (default 1); pass@k needs k <= n
  -k                 comma-separated k values for pass@k (default 1)
  --concurrency      samples run at once (default 2)
  --timeout          seconds one sample may take before it is abandoned as failed (default 300)
  --filter           only tasks whose id contains TEXT
  --out              where results.json, report.md and report.html go (default bench-results/<time>)

Ctrl+C stops cleanly and writes the partial results. Details: docs/eval.md.
`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${name} takes an integer >= ${min}; got '${value}'.`);
  return n;
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${name} takes a positive number of seconds; got '${value}'.`);
  return n;
}

function parseKs(value: string | undefined, n: number): number[] {
  const ks = (value ?? '1')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const k = Number(s);
      if (!Number.isInteger(k) || k < 1)
        throw new UsageError(`-k takes positive integers separated by commas; got '${value}'.`);
      return k;
    });
  if (ks.length === 0) throw new UsageError('-k needs at least one value, e.g. -k 1,5.');
  const tooBig = ks.filter((k) => k > n);
  if (tooBig.length > 0)
    throw new UsageError(`pass@k needs k <= n: k=${tooBig.join(',')} but -n is ${n}. Raise -n or lower -k.`);
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** Anneal's version from the nearest package.json named anneal (sources or installed package). */
function toolVersion(env: NodeJS.ProcessEnv): string {
  if (env.ANNEAL_VERSION) return env.ANNEAL_VERSION;
  let dir = dirname(__filename);
  for (let i = 0; i < 5; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (parsed.name === 'anneal' && parsed.version) return parsed.version;
      } catch {
        // keep looking
      }
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

function timestamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
}

/** Writes the three reports; returns their paths. */
export function writeReports(
  result: BenchResult,
  outDir: string,
): { json: string; markdown: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const paths = {
    json: join(outDir, 'results.json'),
    markdown: join(outDir, 'report.md'),
    html: join(outDir, 'report.html'),
  };
  writeFileSync(paths.json, reportJson(result));
  writeFileSync(paths.markdown, reportMarkdown(result));
  writeFileSync(paths.html, reportHtml(result));
  return paths;
}

async function compareCommand(argv: string[], io: BenchIo, cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout(BENCH_HELP);
    return BENCH_EXIT.ok;
  }
  if (positionals.length !== 2)
    throw new UsageError('compare takes two result files: anneal bench compare a.json b.json');
  const [fa, fb] = positionals.map((p) => resolve(cwd, p)) as [string, string];
  for (const f of [fa, fb]) if (!existsSync(f)) throw new AnnealError('notFound', `${f} does not exist.`);
  const comparison = compareResults(
    parseReportJson(readFileSync(fa, 'utf8'), fa),
    parseReportJson(readFileSync(fb, 'utf8'), fb),
    [positionals[0] ?? 'a', positionals[1] ?? 'b'],
  );
  io.stdout(comparisonText(comparison));
  if (values.out) {
    const out = resolve(cwd, values.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, comparisonMarkdown(comparison));
    io.stdout(`Markdown: ${out}\n`);
  }
  return BENCH_EXIT.ok;
}

/**
 * `anneal bench …` and `anneal bench compare a.json b.json`. Returns the exit code: 0 the run
 * finished (whatever its pass rate), 1 every sample failed with an error (a setup problem such as
 * a bad key), 2 bad usage or input, 130 stopped by Ctrl+C (partial results written).
 */
export async function runBenchCommand(argv: string[], io: BenchIo): Promise<number> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  try {
    if (argv[0] === 'compare') return await compareCommand(argv.slice(1), io, cwd);
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        suite: { type: 'string' },
        provider: { type: 'string' },
        model: { type: 'string' },
        'base-url': { type: 'string' },
        n: { type: 'string', short: 'n' },
        k: { type: 'string', short: 'k' },
        concurrency: { type: 'string' },
        timeout: { type: 'string' },
        'test-timeout': { type: 'string' },
        'max-attempts': { type: 'string' },
        filter: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(BENCH_HELP);
      return BENCH_EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'.`);
    const provider = ProviderId.safeParse(values.provider ?? 'auto');
    if (!provider.success) {
      throw new UsageError(
        `--provider takes one of ${ProviderId.options.join(', ')}; got '${values.provider}'.`,
      );
    }
    const n = positiveInt('-n', values.n, 1);
    const k = parseKs(values.k, n);
    const concurrency = positiveInt('--concurrency', values.concurrency, 2);
    const timeoutSeconds = positiveNumber('--timeout', values.timeout, 300);
    const testTimeoutSeconds = positiveNumber('--test-timeout', values['test-timeout'], 60);
    const maxAttempts = positiveInt('--max-attempts', values['max-attempts'], 3, 0);
    if (maxAttempts > 10) throw new UsageError('--max-attempts is at most 10.');

    const suiteArg = values.suite ?? 'builtin';
    const suite = loadSuite(suiteArg === 'builtin' ? 'builtin' : resolve(cwd, suiteArg));
    const tasks = values.filter ? suite.tasks.filter((t) => t.id.includes(values.filter ?? '')) : suite.tasks;
    if (tasks.length === 0) throw new UsageError(`No task id contains '${values.filter}'.`);
    // Fail before spending any tokens when Python tests cannot run here.
    if (tasks.some((t) => t.language === 'python')) pythonWithPytest();

    const config: BenchConfig = {
      suite: suite.name,
      suitePath: suite.path,
      provider: provider.data,
      ...(values.model ? { model: values.model } : {}),
      ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
      n,
      k,
      concurrency,
      timeoutSeconds,
      maxAttempts,
      ...(values.filter ? { filter: values.filter } : {}),
    };
    const outDir = resolve(cwd, values.out ?? join('bench-results', timestamp(new Date())));
    const solve =
      io.solve ??
      engineSolver({
        provider: provider.data,
        ...(values.model ? { model: values.model } : {}),
        ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
        maxAttempts,
        // The engine stops itself a little before the bench abandons it, so its run log survives.
        timeoutMs: Math.max(1000, Math.floor(timeoutSeconds * 1000 * 0.95)),
      });

    const stop = new AbortController();
    let interrupts = 0;
    const onSigint = (): void => {
      interrupts++;
      if (interrupts > 1) process.exit(BENCH_EXIT.interrupted);
      io.stderr(
        '\nStopping: finishing running samples as cancelled and writing partial results (Ctrl+C again to quit now)…\n',
      );
      stop.abort();
    };
    const external = io.signal;
    const onExternal = (): void => stop.abort();
    if (external) {
      if (external.aborted) stop.abort();
      else external.addEventListener('abort', onExternal, { once: true });
    } else {
      process.on('SIGINT', onSigint);
    }
    const bar = new ProgressBar(io.stderr, io.isTTY ?? process.stderr.isTTY === true);
    io.stderr(
      `Bench: ${tasks.length} tasks × ${n} samples with ${config.provider}${config.model ? ` / ${config.model}` : ''}, concurrency ${concurrency}, timeout ${timeoutSeconds}s\n`,
    );
    let result: BenchResult;
    try {
      result = await runBench({
        suite,
        tasks,
        config,
        toolVersion: toolVersion(env),
        solve,
        testTimeoutMs: testTimeoutSeconds * 1000,
        signal: stop.signal,
        onProgress: (p) => bar.update(p),
      });
    } finally {
      bar.finish();
      if (external) external.removeEventListener('abort', onExternal);
      else process.off('SIGINT', onSigint);
    }
    const paths = writeReports(result, outDir);
    const s = result.summary;
    io.stdout(
      [
        `${result.partial ? 'Partial results (stopped early)' : 'Done'} in ${formatDuration(result.durationSeconds * 1000)}: ${s.samples} samples, ${s.statusCounts.passed} passed.`,
        ...k.map((kk) => {
          const p = s.passAtK[String(kk)];
          return `  pass@${kk}: ${pct(p?.value)}${p?.ci ? ` (95% CI ${pct(p.ci[0])}–${pct(p.ci[1])})` : ''}`;
        }),
        `  pass after 0/1/2/3 repair attempts: ${s.passAfterAttempts.map((v) => pct(v)).join(' / ')}`,
        `  tokens per task: ${s.tokensPerTask.input.toFixed(0)} in / ${s.tokensPerTask.output.toFixed(0)} out, ~$${s.costPerTaskUsd.toFixed(4)}; ${s.secondsPerTask.toFixed(1)}s per task`,
        `Reports: ${paths.json}`,
        `         ${paths.markdown}`,
        `         ${paths.html}`,
        '',
      ].join('\n'),
    );
    if (result.partial) return BENCH_EXIT.interrupted;
    if (s.samples > 0 && s.statusCounts.error === s.samples) {
      const first = result.tasks.flatMap((t) => t.samples).find((x) => x.reason)?.reason ?? '';
      io.stderr(`anneal bench: every sample failed with an error; the first: ${first}\n`);
      return BENCH_EXIT.failed;
    }
    return BENCH_EXIT.ok;
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`anneal bench: ${e.message}\n\n${BENCH_HELP}`);
      return BENCH_EXIT.usage;
    }
    if (AnnealError.is(e)) {
      io.stderr(`anneal bench: ${e.message}\n`);
      return BENCH_EXIT.usage;
    }
    throw e;
  }
}
