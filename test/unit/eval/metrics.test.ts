import assert from 'node:assert/strict';
import type { SampleResult } from '../../../src/agent/eval/benchResult';
import {
  bootstrapMeanInterval,
  passAtK,
  suiteSummary,
  taskMetrics,
  wilsonInterval,
} from '../../../src/agent/eval/metrics';

function close(actual: number | null | undefined, expected: number, eps = 1e-9): void {
  assert.ok(typeof actual === 'number', `expected a number, got ${String(actual)}`);
  assert.ok(Math.abs(actual - expected) < eps, `${actual} is not ${expected}`);
}

function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

function sample(over: Partial<SampleResult>): SampleResult {
  return {
    sample: 0,
    status: 'passed',
    passed: true,
    seconds: 1,
    attemptsUsed: 0,
    errorsBefore: 0,
    errorsAfter: 0,
    zeroTokenFixes: 0,
    edits: { total: 0, applied: 0 },
    tokens: { input: 0, output: 0 },
    costUsd: 0,
    ...over,
  };
}

describe('pass@k estimator', () => {
  it('matches hand-computed cases', () => {
    close(passAtK(5, 2, 1), 0.4);
    close(passAtK(5, 2, 5), 1);
    close(passAtK(10, 3, 2), 1 - 21 / 45);
    close(passAtK(4, 1, 2), 1 - 3 / 6);
    close(passAtK(5, 0, 1), 0);
    close(passAtK(5, 5, 1), 1);
    close(passAtK(1, 1, 1), 1);
    close(passAtK(1, 0, 1), 0);
  });

  it('pass@1 is c/n', () => {
    for (const [n, c] of [
      [7, 3],
      [20, 13],
      [100, 1],
    ] as const) {
      close(passAtK(n, c, 1), c / n, 1e-12);
    }
  });

  it('agrees with exact big-integer binomials for large n', () => {
    for (const [n, c, k] of [
      [200, 10, 100],
      [200, 1, 10],
      [150, 75, 50],
      [60, 7, 13],
    ] as const) {
      const exact = 1 - Number((binomial(n - c, k) * 10n ** 15n) / binomial(n, k)) / 1e15;
      close(passAtK(n, c, k), exact, 1e-12);
    }
  });

  it('is undefined when fewer than k samples exist, and rejects nonsense', () => {
    assert.equal(passAtK(3, 1, 5), null);
    assert.throws(() => passAtK(3, 4, 1), RangeError);
    assert.throws(() => passAtK(3, 1, 0), RangeError);
    assert.throws(() => passAtK(3.5, 1, 1), RangeError);
  });
});

describe('confidence intervals', () => {
  it('Wilson interval matches published values', () => {
    const zero = wilsonInterval(0, 5);
    assert.ok(zero);
    close(zero[0], 0);
    close(zero[1], 0.4345, 1e-4);
    const eight = wilsonInterval(8, 10);
    assert.ok(eight);
    close(eight[0], 0.4902, 1e-4);
    close(eight[1], 0.9433, 1e-4);
    assert.equal(wilsonInterval(0, 0), null);
  });

  it('bootstrap over tasks is seeded, contains the mean and collapses on constant data', () => {
    assert.deepEqual(bootstrapMeanInterval([0.5, 0.5, 0.5]), [0.5, 0.5]);
    const values = [0, 1, 1, 0, 1, 0.5, 0.25, 1, 0, 1];
    const a = bootstrapMeanInterval(values);
    const b = bootstrapMeanInterval(values);
    assert.deepEqual(a, b);
    assert.ok(a);
    const m = values.reduce((x, y) => x + y, 0) / values.length;
    assert.ok(a[0] < m && m < a[1], `${a.join(',')} around ${m}`);
    assert.ok(a[0] >= 0 && a[1] <= 1);
    assert.equal(bootstrapMeanInterval([]), null);
  });
});

describe('task and suite metrics', () => {
  const taskA = [
    sample({ sample: 0, tokens: { input: 100, output: 50 }, costUsd: 0.01, seconds: 2 }),
    sample({
      sample: 1,
      attemptsUsed: 2,
      errorsBefore: 3,
      edits: { total: 3, applied: 2 },
      tokens: { input: 300, output: 150 },
      costUsd: 0.03,
      seconds: 6,
    }),
    sample({
      sample: 2,
      status: 'failed',
      passed: false,
      attemptsUsed: 3,
      errorsBefore: 2,
      errorsAfter: 1,
      edits: { total: 4, applied: 4 },
      tokens: { input: 500, output: 250 },
      costUsd: 0.05,
      seconds: 10,
    }),
    sample({
      sample: 3,
      errorsBefore: 1,
      zeroTokenFixes: 1,
      tokens: { input: 100, output: 50 },
      costUsd: 0.01,
      seconds: 2,
    }),
    sample({
      sample: 4,
      status: 'cancelled',
      passed: false,
      seconds: 99,
      tokens: { input: 999, output: 999 },
    }),
  ];
  const taskB = [
    sample({ sample: 0, status: 'timeout', passed: false, seconds: 30, reason: 'timeout' }),
    sample({ sample: 1, status: 'error', passed: false, seconds: 1, reason: 'auth: bad key' }),
  ];

  it('computes every per-task figure by hand', () => {
    const m = taskMetrics(taskA, [1, 2, 5]);
    assert.equal(m.n, 4);
    assert.equal(m.c, 3);
    close(m.passAtK['1'], 0.75);
    close(m.passAtK['2'], 1);
    assert.equal(m.passAtK['5'], null);
    assert.deepEqual(m.passAfterAttempts, [0.5, 0.5, 0.75, 0.75]);
    close(m.zeroTokenFixShare, 0.5);
    close(m.wellFormedEditRate, 6 / 7);
    close(m.repairSuccessRate, 0.5);
    assert.deepEqual(m.tokens, { input: 250, output: 125 });
    close(m.costUsd, 0.025);
    close(m.seconds, 5);
    close(m.errorsBefore, 1.5);
    const ci = m.passAt1Ci;
    assert.ok(ci && ci[0] < 0.75 && ci[1] > 0.75);
  });

  it('leaves undefined ratios null rather than zero', () => {
    const m = taskMetrics(taskB, [1]);
    assert.equal(m.n, 2);
    assert.equal(m.c, 0);
    close(m.passAtK['1'], 0);
    assert.equal(m.zeroTokenFixShare, null);
    assert.equal(m.wellFormedEditRate, null);
    assert.equal(m.repairSuccessRate, null);
  });

  it('summarises a suite: macro pass rates, pooled ratios, totals and status counts', () => {
    const ks = [1, 2, 5];
    const tasks = [taskA, taskB].map((samples) => ({ samples, metrics: taskMetrics(samples, ks) }));
    const s = suiteSummary(tasks, ks);
    assert.equal(s.tasks, 2);
    assert.equal(s.samples, 6);
    assert.deepEqual(s.statusCounts, { passed: 3, failed: 1, error: 1, timeout: 1, cancelled: 1 });
    close(s.passAtK['1']?.value, 0.375);
    assert.equal(s.passAtK['1']?.tasks, 2);
    close(s.passAtK['2']?.value, 0.5);
    assert.deepEqual(s.passAtK['5'], { value: null, ci: null, tasks: 0 });
    assert.deepEqual(s.passAfterAttempts, [0.25, 0.25, 0.375, 0.375]);
    close(s.zeroTokenFixShare, 0.5);
    close(s.wellFormedEditRate, 6 / 7);
    close(s.repairSuccessRate, 0.5);
    assert.deepEqual(s.tokensPerTask, { input: 125, output: 62.5 });
    close(s.costPerTaskUsd, 0.0125);
    close(s.secondsPerTask, (5 + 15.5) / 2);
    close(s.errorsBeforeRepair, 1);
    assert.deepEqual(s.totalTokens, { input: 1000, output: 500 });
    close(s.totalCostUsd, 0.1);
    const ci = s.passAtK['1']?.ci;
    assert.ok(ci && ci[0] <= 0.375 && ci[1] >= 0.375);
  });
});
