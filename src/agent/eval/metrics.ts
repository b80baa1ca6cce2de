import type { BenchSummary, SampleResult, SampleStatus, TaskMetrics } from './benchResult';

/** The repair-attempt counts the "pass after N attempts" curve reports. */
export const ATTEMPT_STEPS = [0, 1, 2, 3] as const;

/**
 * Unbiased pass@k for one task with n samples of which c passed: 1 - C(n-c, k) / C(n, k),
 * computed as 1 - Π_{i=n-c+1..n} (1 - k/i) so large n never overflows. Null when n < k.
 */
export function passAtK(n: number, c: number, k: number): number | null {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || k < 1 || c < 0 || c > n) {
    throw new RangeError(`passAtK needs integers 0 <= c <= n and k >= 1 (got n=${n}, c=${c}, k=${k})`);
  }
  if (n < k) return null;
  if (n - c < k) return 1;
  let failAll = 1;
  for (let i = n - c + 1; i <= n; i++) failAll *= 1 - k / i;
  return 1 - failAll;
}

/** Wilson score 95% interval for a proportion of `successes` out of `n`; null when n = 0. */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A small seeded generator (mulberry32), so a report's intervals are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * 95% percentile bootstrap interval of the mean, resampling tasks with replacement. Tasks are the
 * unit of variation (samples of one task are not independent draws from the suite).
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: { resamples?: number; seed?: number } = {},
): [number, number] | null {
  if (values.length === 0) return null;
  const resamples = options.resamples ?? 2000;
  const random = seededRandom(options.seed ?? 20240611);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)] as number;
    means.push(sum / values.length);
  }
  means.sort((a, b) => a - b);
  const at = (q: number): number =>
    means[Math.min(means.length - 1, Math.max(0, Math.floor(q * means.length)))] as number;
  return [at(0.025), at(0.975)];
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Samples that count: a cancelled sample (Ctrl+C) never finished and is left out. */
function finished(samples: readonly SampleResult[]): SampleResult[] {
  return samples.filter((s) => s.status !== 'cancelled');
}

interface PooledCounts {
  fixedNeeded: number;
  fixedWithoutModel: number;
  editsTotal: number;
  editsApplied: number;
  repaired: number;
  repairSucceeded: number;
}

function pooled(samples: readonly SampleResult[]): PooledCounts {
  const counts: PooledCounts = {
    fixedNeeded: 0,
    fixedWithoutModel: 0,
    editsTotal: 0,
    editsApplied: 0,
    repaired: 0,
    repairSucceeded: 0,
  };
  for (const s of samples) {
    // A sample "needed fixing" when it had validation errors (or a zero-token fix applied) and
    // ended clean; it was fixed at zero token cost when no model repair attempt was needed.
    if ((s.errorsBefore > 0 || s.zeroTokenFixes > 0) && s.errorsAfter === 0) {
      counts.fixedNeeded++;
      if (s.attemptsUsed === 0) counts.fixedWithoutModel++;
    }
    counts.editsTotal += s.edits.total;
    counts.editsApplied += s.edits.applied;
    if (s.attemptsUsed > 0) {
      counts.repaired++;
      if (s.errorsAfter === 0) counts.repairSucceeded++;
    }
  }
  return counts;
}

/** Per-task figures from its samples; `ks` are the k values to report. */
export function taskMetrics(samples: readonly SampleResult[], ks: readonly number[]): TaskMetrics {
  const done = finished(samples);
  const n = done.length;
  const c = done.filter((s) => s.passed).length;
  const passAtKByK: Record<string, number | null> = {};
  for (const k of ks) passAtKByK[String(k)] = passAtK(n, c, k);
  const counts = pooled(done);
  return {
    n,
    c,
    passAtK: passAtKByK,
    passAt1Ci: wilsonInterval(c, n),
    passAfterAttempts: ATTEMPT_STEPS.map((a) =>
      n === 0 ? 0 : done.filter((s) => s.passed && s.attemptsUsed <= a).length / n,
    ),
    zeroTokenFixShare: ratio(counts.fixedWithoutModel, counts.fixedNeeded),
    wellFormedEditRate: ratio(counts.editsApplied, counts.editsTotal),
    repairSuccessRate: ratio(counts.repairSucceeded, counts.repaired),
    tokens: { input: mean(done.map((s) => s.tokens.input)), output: mean(done.map((s) => s.tokens.output)) },
    costUsd: mean(done.map((s) => s.costUsd)),
    seconds: mean(done.map((s) => s.seconds)),
    errorsBefore: mean(done.map((s) => s.errorsBefore)),
  };
}

/**
 * Suite-level figures. Pass rates are means over tasks (each task weighs the same); the event
 * ratios (zero-token share, edit rate, repair success) are pooled over all finished samples.
 */
export function suiteSummary(
  tasks: readonly { samples: readonly SampleResult[]; metrics: TaskMetrics }[],
  ks: readonly number[],
): BenchSummary {
  const statusCounts: Record<SampleStatus, number> = {
    passed: 0,
    failed: 0,
    error: 0,
    timeout: 0,
    cancelled: 0,
  };
  const all: SampleResult[] = [];
  for (const t of tasks) {
    for (const s of t.samples) {
      statusCounts[s.status]++;
      if (s.status !== 'cancelled') all.push(s);
    }
  }
  const measured = tasks.filter((t) => t.metrics.n > 0);
  const passAtKSummary: BenchSummary['passAtK'] = {};
  for (const k of ks) {
    const values = measured
      .map((t) => t.metrics.passAtK[String(k)])
      .filter((v): v is number => typeof v === 'number');
    passAtKSummary[String(k)] = {
      value: values.length === 0 ? null : mean(values),
      ci: bootstrapMeanInterval(values),
      tasks: values.length,
    };
  }
  const counts = pooled(all);
  return {
    tasks: measured.length,
    samples: all.length,
    statusCounts,
    passAtK: passAtKSummary,
    passAfterAttempts: ATTEMPT_STEPS.map((_, i) =>
      mean(measured.map((t) => t.metrics.passAfterAttempts[i] ?? 0)),
    ),
    zeroTokenFixShare: ratio(counts.fixedWithoutModel, counts.fixedNeeded),
    wellFormedEditRate: ratio(counts.editsApplied, counts.editsTotal),
    repairSuccessRate: ratio(counts.repairSucceeded, counts.repaired),
    tokensPerTask: {
      input: mean(measured.map((t) => t.metrics.tokens.input)),
      output: mean(measured.map((t) => t.metrics.tokens.output)),
    },
    costPerTaskUsd: mean(measured.map((t) => t.metrics.costUsd)),
    secondsPerTask: mean(measured.map((t) => t.metrics.seconds)),
    errorsBeforeRepair: mean(all.map((s) => s.errorsBefore)),
    totalTokens: {
      input: all.reduce((a, s) => a + s.tokens.input, 0),
      output: all.reduce((a, s) => a + s.tokens.output, 0),
    },
    totalCostUsd: all.reduce((a, s) => a + s.costUsd, 0),
  };
}
