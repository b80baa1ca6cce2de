import type { RunLog } from '../../protocol/runLog';
import { AnnealError } from '../annealError';
import {
  BENCH_SCHEMA_VERSION,
  type BenchConfig,
  type BenchResult,
  type SampleResult,
  type TaskResult,
} from './benchResult';
import { templateDirFor, type BenchSuite, type BenchTask } from './benchTask';
import { runHiddenTests } from './hiddenTests';
import { suiteSummary, taskMetrics } from './metrics';
import { createTaskWorkspace, type TaskWorkspace } from './taskWorkspace';
import { runPool } from './workPool';

/** What a solver hands back: the task file's final text and, when the engine ran, its run log. */
export interface SolveOutput {
  text: string;
  runLog?: RunLog;
}

export interface SolveContext {
  /** A private copy of the task's project holding the prompt file (never the hidden tests). */
  workspace: TaskWorkspace;
  /** Report the run log as it grows, so a run that times out or fails still counts its tokens. */
  onRunLog: (log: RunLog) => void;
}

/** Solves one sample of one task. Must stop soon after `signal` aborts (it may be abandoned). */
export type SolveFn = (
  task: BenchTask,
  sampleIndex: number,
  signal: AbortSignal,
  context: SolveContext,
) => Promise<SolveOutput>;

export interface BenchProgress {
  done: number;
  total: number;
  passed: number;
  elapsedMs: number;
  last: { task: string; sample: number; status: SampleResult['status']; seconds: number };
}

export interface RunBenchOptions {
  suite: BenchSuite;
  /** The tasks to run (already filtered); default every task of the suite. */
  tasks?: readonly BenchTask[];
  config: BenchConfig;
  toolVersion: string;
  solve: SolveFn;
  /** Hidden tests' own time limit (default 60 s); not counted in a task's seconds. */
  testTimeoutMs?: number;
  /** Aborting stops cleanly: running samples are cancelled and the partial result returned. */
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
}

const REASON_TAIL = 1200;

function tail(text: string, max = REASON_TAIL): string {
  return text.length > max ? '…' + text.slice(-max) : text;
}

function describeError(e: unknown): string {
  if (AnnealError.is(e)) return `${e.reason}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** The run-log figures a sample carries; zeros when there is no log. */
function fromRunLog(
  log: RunLog | undefined,
): Omit<SampleResult, 'sample' | 'status' | 'passed' | 'seconds' | 'reason'> {
  if (!log) {
    return {
      attemptsUsed: 0,
      errorsBefore: 0,
      errorsAfter: 0,
      zeroTokenFixes: 0,
      edits: { total: 0, applied: 0 },
      tokens: { input: 0, output: 0 },
      costUsd: 0,
    };
  }
  const edits = log.attempts.flatMap((a) => a.edits);
  return {
    verdict: log.verdict,
    message: log.message,
    attemptsUsed: log.attempts.length,
    // Generate runs start from a stub with no errors: count the first answer's errors instead.
    errorsBefore: Math.max(log.summary.errorsBefore, log.attempts[0]?.errorsIn ?? 0),
    errorsAfter: log.summary.errorsAfter,
    zeroTokenFixes: log.summary.zeroTokenFixes,
    edits: { total: edits.length, applied: edits.filter((e) => e.applied).length },
    tokens: { input: log.budget.tokens.input, output: log.budget.tokens.output },
    costUsd: log.budget.estimatedCostUsd,
  };
}

type Outcome =
  { kind: 'solved'; output: SolveOutput } | { kind: 'threw'; error: unknown } | { kind: 'timeout' };

/**
 * Runs one sample: solve with a deadline, then the hidden tests. A solver that ignores its
 * signal is abandoned at the deadline (its promise is left to settle on its own).
 */
async function runSample(
  suite: BenchSuite,
  task: BenchTask,
  sample: number,
  options: RunBenchOptions,
): Promise<SampleResult> {
  const outer = options.signal;
  const base = { sample, seconds: 0, passed: false };
  if (outer?.aborted)
    return { ...base, status: 'cancelled', reason: 'stopped before it started', ...fromRunLog(undefined) };
  const templateDir = templateDirFor(suite, task);
  const timeoutMs = options.config.timeoutSeconds * 1000;
  const controller = new AbortController();
  const onOuterAbort = (): void =>
    controller.abort(new AnnealError('cancelled', 'The bench run was stopped.'));
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let workspace: TaskWorkspace | undefined;
  let lastLog: RunLog | undefined;
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    workspace = createTaskWorkspace(task, templateDir, task.prompt, { withTests: false });
    const deadline = new Promise<Outcome>((resolveDeadline) => {
      timer = setTimeout(() => {
        controller.abort(new AnnealError('timeout', `No answer within ${options.config.timeoutSeconds}s.`));
        resolveDeadline({ kind: 'timeout' });
      }, timeoutMs);
    });
    const cancelled = new Promise<Outcome>((resolveCancel) => {
      if (controller.signal.aborted) resolveCancel({ kind: 'threw', error: controller.signal.reason });
      controller.signal.addEventListener(
        'abort',
        () => resolveCancel({ kind: 'threw', error: controller.signal.reason }),
        {
          once: true,
        },
      );
    });
    const solving = options
      .solve(task, sample, controller.signal, { workspace, onRunLog: (log) => (lastLog = log) })
      .then(
        (output): Outcome => ({ kind: 'solved', output }),
        (error: unknown): Outcome => ({ kind: 'threw', error }),
      );
    const outcome = await Promise.race([solving, deadline, cancelled]);
    const seconds = (Date.now() - started) / 1000;
    clearTimeout(timer);
    if (outer?.aborted) {
      return { ...base, seconds, status: 'cancelled', reason: 'stopped by the user', ...fromRunLog(lastLog) };
    }
    if (outcome.kind === 'timeout') {
      return {
        ...base,
        seconds,
        status: 'timeout',
        reason: `timeout: no answer within ${options.config.timeoutSeconds}s`,
        ...fromRunLog(lastLog),
      };
    }
    if (outcome.kind === 'threw') {
      const timedOut = AnnealError.is(outcome.error, 'timeout');
      return {
        ...base,
        seconds,
        status: timedOut ? 'timeout' : 'error',
        reason: describeError(outcome.error),
        ...fromRunLog(lastLog),
      };
    }
    const log = outcome.output.runLog ?? lastLog;
    const tests = await runHiddenTests(task, outcome.output.text, {
      timeoutMs: options.testTimeoutMs ?? 60_000,
      signal: controller.signal,
      ...(templateDir ? { templateDir } : {}),
    });
    if (tests.outcome === 'cancelled' || outer?.aborted) {
      return { ...base, seconds, status: 'cancelled', reason: 'stopped by the user', ...fromRunLog(log) };
    }
    if (tests.outcome === 'error') {
      return {
        ...base,
        seconds,
        status: 'error',
        reason: `hidden tests could not run: ${tail(tests.output)}`,
        ...fromRunLog(log),
      };
    }
    return {
      ...base,
      seconds,
      passed: tests.passed,
      status: tests.passed ? 'passed' : 'failed',
      ...(tests.passed
        ? {}
        : {
            reason:
              tests.outcome === 'timeout'
                ? 'hidden tests timed out'
                : `hidden tests failed: ${tail(tests.output)}`,
          }),
      ...fromRunLog(log),
    };
  } catch (e) {
    // The harness itself failed for this sample (template missing, disk full): a failed sample with its reason.
    return {
      ...base,
      seconds: (Date.now() - started) / 1000,
      status: 'error',
      reason: describeError(e),
      ...fromRunLog(lastLog),
    };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    if (!controller.signal.aborted) controller.abort(new AnnealError('cancelled', 'The sample finished.'));
    workspace?.dispose();
  }
}

/**
 * Runs every task `config.n` times with at most `config.concurrency` samples at once, judges each
 * final text with the task's hidden tests, and computes the metrics. Never throws for one task's
 * failure; a stopped run returns what finished with `partial: true`.
 */
export async function runBench(options: RunBenchOptions): Promise<BenchResult> {
  const { suite, config } = options;
  const tasks = options.tasks ?? suite.tasks;
  if (tasks.length === 0) throw new AnnealError('badInput', 'No task matches: check --filter.');
  const startedAt = new Date();
  const jobs = tasks.flatMap((task) => Array.from({ length: config.n }, (_, sample) => ({ task, sample })));
  const results = new Map<string, SampleResult[]>(tasks.map((t) => [t.id, []]));
  let done = 0;
  let passed = 0;
  await runPool(
    jobs,
    config.concurrency,
    async ({ task, sample }) => {
      const result = await runSample(suite, task, sample, options);
      results.get(task.id)?.push(result);
      done++;
      if (result.passed) passed++;
      options.onProgress?.({
        done,
        total: jobs.length,
        passed,
        elapsedMs: Date.now() - startedAt.getTime(),
        last: { task: task.id, sample, status: result.status, seconds: result.seconds },
      });
    },
    options.signal,
  );
  const partial = options.signal?.aborted === true;
  const taskResults: TaskResult[] = tasks.map((task) => {
    const samples = (results.get(task.id) ?? []).sort((a, b) => a.sample - b.sample);
    // Samples never started still appear, so a partial report says what is missing.
    for (let s = 0; s < config.n; s++) {
      if (!samples.some((x) => x.sample === s)) {
        samples.push({
          sample: s,
          status: 'cancelled',
          passed: false,
          seconds: 0,
          reason: 'not started',
          ...fromRunLog(undefined),
        });
      }
    }
    samples.sort((a, b) => a.sample - b.sample);
    return {
      id: task.id,
      language: task.language,
      kind: task.kind,
      samples,
      metrics: taskMetrics(samples, config.k),
    };
  });
  const finishedAt = new Date();
  return {
    schemaVersion: BENCH_SCHEMA_VERSION,
    tool: { name: 'anneal', version: options.toolVersion },
    config,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    partial,
    tasks: taskResults,
    summary: suiteSummary(taskResults, config.k),
  };
}
