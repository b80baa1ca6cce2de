import { z } from 'zod';

/** Bumped on any incompatible change to the JSON report; `anneal bench compare` checks it. */
export const BENCH_SCHEMA_VERSION = 1;

export const SampleStatus = z.enum(['passed', 'failed', 'error', 'timeout', 'cancelled']);
export type SampleStatus = z.infer<typeof SampleStatus>;

const Tokens = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() });

/** One run of the engine on one task, judged by the hidden tests. */
export const SampleResult = z.object({
  sample: z.number().int().nonnegative(),
  /** `failed`: hidden tests failed; `error`: the run threw; `timeout`: abandoned at the task timeout. */
  status: SampleStatus,
  passed: z.boolean(),
  /** Why it did not pass: the thrown error's reason and message, the timeout, or the test output tail. */
  reason: z.string().optional(),
  seconds: z.number().nonnegative(),
  verdict: z.string().optional(),
  /** The engine's closing message (why it stopped). */
  message: z.string().optional(),
  /** Model repair attempts the engine used. */
  attemptsUsed: z.number().int().nonnegative(),
  /** Validation errors before any fix or repair: of the broken file (repair) or the first answer (generate). */
  errorsBefore: z.number().int().nonnegative(),
  errorsAfter: z.number().int().nonnegative(),
  zeroTokenFixes: z.number().int().nonnegative(),
  /** Tool calls the model made during repair, and how many applied on first emission. */
  edits: z.object({ total: z.number().int().nonnegative(), applied: z.number().int().nonnegative() }),
  tokens: Tokens,
  costUsd: z.number().nonnegative(),
});
export type SampleResult = z.infer<typeof SampleResult>;

/** A rate with its 95% interval; null when nothing could be measured. */
export const Interval = z.tuple([z.number(), z.number()]);

export const TaskMetrics = z.object({
  /** Samples that finished (cancelled ones are left out). */
  n: z.number().int().nonnegative(),
  /** Samples whose final text passed the hidden tests. */
  c: z.number().int().nonnegative(),
  /** Unbiased pass@k by k; null when n < k. */
  passAtK: z.record(z.string(), z.number().nullable()),
  /** Wilson 95% interval of c/n. */
  passAt1Ci: Interval.nullable(),
  /** Share of samples that passed using at most 0, 1, 2, 3 repair attempts. */
  passAfterAttempts: z.array(z.number()),
  zeroTokenFixShare: z.number().nullable(),
  wellFormedEditRate: z.number().nullable(),
  repairSuccessRate: z.number().nullable(),
  /** Means per sample. */
  tokens: Tokens,
  costUsd: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  errorsBefore: z.number().nonnegative(),
});
export type TaskMetrics = z.infer<typeof TaskMetrics>;

export const TaskResult = z.object({
  id: z.string(),
  language: z.enum(['typescript', 'python']),
  kind: z.enum(['generate', 'repair']),
  samples: z.array(SampleResult),
  metrics: TaskMetrics,
});
export type TaskResult = z.infer<typeof TaskResult>;

export const PassAtKSummary = z.object({
  /** Mean over the tasks with at least k finished samples. */
  value: z.number().nullable(),
  /** 95% percentile bootstrap interval over tasks (seeded, so reruns agree). */
  ci: Interval.nullable(),
  tasks: z.number().int().nonnegative(),
});

export const BenchSummary = z.object({
  tasks: z.number().int().nonnegative(),
  samples: z.number().int().nonnegative(),
  statusCounts: z.record(SampleStatus, z.number().int().nonnegative()),
  passAtK: z.record(z.string(), PassAtKSummary),
  /** Mean over tasks of each task's share passing within 0, 1, 2, 3 repair attempts. */
  passAfterAttempts: z.array(z.number()),
  /** Pooled over samples (see docs/eval.md for each definition). */
  zeroTokenFixShare: z.number().nullable(),
  wellFormedEditRate: z.number().nullable(),
  repairSuccessRate: z.number().nullable(),
  /** Means over tasks of the per-sample means. */
  tokensPerTask: Tokens,
  costPerTaskUsd: z.number().nonnegative(),
  secondsPerTask: z.number().nonnegative(),
  errorsBeforeRepair: z.number().nonnegative(),
  totalTokens: Tokens,
  totalCostUsd: z.number().nonnegative(),
});
export type BenchSummary = z.infer<typeof BenchSummary>;

export const BenchConfig = z.object({
  suite: z.string(),
  suitePath: z.string(),
  provider: z.string(),
  model: z.string().optional(),
  baseUrl: z.string().optional(),
  n: z.number().int().positive(),
  k: z.array(z.number().int().positive()),
  concurrency: z.number().int().positive(),
  timeoutSeconds: z.number().positive(),
  maxAttempts: z.number().int().nonnegative(),
  filter: z.string().optional(),
});
export type BenchConfig = z.infer<typeof BenchConfig>;

/** The machine-readable report (`results.json`). */
export const BenchResult = z.object({
  schemaVersion: z.literal(BENCH_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('anneal'), version: z.string() }),
  config: BenchConfig,
  startedAt: z.string(),
  finishedAt: z.string(),
  durationSeconds: z.number().nonnegative(),
  /** True when the run was stopped (Ctrl+C) before every sample finished. */
  partial: z.boolean(),
  tasks: z.array(TaskResult),
  summary: BenchSummary,
});
export type BenchResult = z.infer<typeof BenchResult>;
