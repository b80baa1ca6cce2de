import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunLog } from '../../../src/protocol/runLog';
import { AnnealError } from '../../../src/agent/annealError';
import type { BenchConfig } from '../../../src/agent/eval/benchResult';
import { loadSuite, type BenchTask } from '../../../src/agent/eval/benchTask';
import { runBenchCommand } from '../../../src/agent/eval/benchCommand';
import { compareResults, comparisonMarkdown } from '../../../src/agent/eval/compareResults';
import { parseReportJson, reportJson } from '../../../src/agent/eval/reports';
import { runBench, type SolveFn } from '../../../src/agent/eval/runBench';

const suite = loadSuite('builtin');
const pick = (id: string): BenchTask => {
  const t = suite.tasks.find((x) => x.id === id);
  if (!t) throw new Error(`no task ${id}`);
  return t;
};

function config(over: Partial<BenchConfig> = {}): BenchConfig {
  return {
    suite: 'builtin',
    suitePath: suite.path,
    provider: 'openai-compatible',
    model: 'scripted',
    n: 2,
    k: [1, 2],
    concurrency: 2,
    timeoutSeconds: 20,
    maxAttempts: 3,
    ...over,
  };
}

/** A run log with the figures a sample reads from it. */
function fakeLog(over: {
  attempts?: { edits: boolean[]; errorsOut: number }[];
  errorsBefore?: number;
  errorsAfter?: number;
  fixes?: number;
  tokens?: [number, number];
  cost?: number;
}): RunLog {
  const attempts = (over.attempts ?? []).map((a, i) => ({
    n: i + 1,
    errorsIn: 1,
    errorsOut: a.errorsOut,
    success: a.errorsOut === 0,
    tokens: { input: 10, output: 5 },
    durationMs: 1,
    edits: a.edits.map((applied) => ({ tool: 'patch_file', applied })),
    reportsOut: [],
  }));
  const [input, output] = over.tokens ?? [0, 0];
  return {
    runId: 'r',
    goal: 'repair',
    file: '/x',
    target: 'f',
    provider: 'openai-compatible',
    startedAt: 0,
    durationMs: 1,
    steps: [],
    reportsBefore: [],
    reportsAfter: [],
    fixes: [],
    attempts,
    budget: {
      maxAttempts: 3,
      attemptsUsed: attempts.length,
      tokenBudget: 1000,
      tokens: { input, output },
      estimatedCostUsd: over.cost ?? 0,
    },
    summary: {
      errorsBefore: over.errorsBefore ?? 0,
      errorsAfter: over.errorsAfter ?? 0,
      zeroTokenFixes: over.fixes ?? 0,
      repairAttempts: attempts.length,
      repairSuccessRate: 0,
      repairTokens: { input: 0, output: 0 },
    },
    verdict: 'validated',
    message: '',
  };
}

describe('runBench', function () {
  this.timeout(120_000);

  it('judges right, wrong, thrown and hung samples and carries the run-log figures', async () => {
    const tasks = [
      pick('ts-gen-slugify'),
      pick('py-fix-fahrenheit'),
      pick('ts-fix-leap-year'),
      pick('py-gen-caesar'),
    ];
    const solve: SolveFn = async (task, sample, signal, { workspace, onRunLog }) => {
      assert.equal(readFileSync(workspace.file, 'utf8'), task.prompt, 'the solver sees the prompt');
      assert.ok(!existsSync(join(workspace.dir, task.tests.file)), 'hidden tests stay hidden');
      switch (task.id) {
        case 'ts-gen-slugify':
          // sample 0 right at once; sample 1 right after two attempts (one malformed edit)
          return sample === 0
            ? { text: task.reference ?? '', runLog: fakeLog({ tokens: [100, 40], cost: 0.002 }) }
            : {
                text: task.reference ?? '',
                runLog: fakeLog({
                  errorsBefore: 2,
                  attempts: [
                    { edits: [false, true], errorsOut: 1 },
                    { edits: [true], errorsOut: 0 },
                  ],
                  tokens: [300, 90],
                  cost: 0.006,
                }),
              };
        case 'py-fix-fahrenheit':
          // fixed with a zero-token fix, then a wrong answer
          return sample === 0
            ? { text: task.reference ?? '', runLog: fakeLog({ errorsBefore: 1, fixes: 1 }) }
            : { text: task.wrong ?? '', runLog: fakeLog({ tokens: [50, 10] }) };
        case 'ts-fix-leap-year':
          onRunLog(fakeLog({ tokens: [70, 0] }));
          throw new AnnealError('auth', 'The API key was refused.');
        default:
          // Hangs and ignores its signal: must be abandoned at the deadline.
          void signal;
          return new Promise(() => undefined);
      }
    };
    const started = Date.now();
    const result = await runBench({
      suite,
      tasks,
      config: config({ timeoutSeconds: 2 }),
      toolVersion: 't',
      solve,
    });
    assert.ok(Date.now() - started < 60_000, 'a hung task does not stall the suite');
    const byId = new Map(result.tasks.map((t) => [t.id, t]));

    const slug = byId.get('ts-gen-slugify');
    assert.deepEqual(
      slug?.samples.map((s) => s.status),
      ['passed', 'passed'],
    );
    assert.equal(slug?.metrics.passAtK['1'], 1);
    assert.deepEqual(slug?.samples[1]?.edits, { total: 3, applied: 2 });
    assert.equal(slug?.samples[1]?.attemptsUsed, 2);
    assert.deepEqual(slug?.metrics.passAfterAttempts, [0.5, 0.5, 1, 1]);
    assert.deepEqual(slug?.metrics.tokens, { input: 200, output: 65 });

    const fahr = byId.get('py-fix-fahrenheit');
    assert.deepEqual(
      fahr?.samples.map((s) => s.status),
      ['passed', 'failed'],
    );
    assert.match(fahr?.samples[1]?.reason ?? '', /hidden tests failed/);
    assert.equal(fahr?.metrics.zeroTokenFixShare, 1);
    assert.equal(fahr?.metrics.passAtK['1'], 0.5);
    assert.equal(fahr?.metrics.passAtK['2'], 1);

    const leap = byId.get('ts-fix-leap-year');
    assert.deepEqual(
      leap?.samples.map((s) => s.status),
      ['error', 'error'],
    );
    assert.match(leap?.samples[0]?.reason ?? '', /^auth: The API key was refused/);
    assert.equal(leap?.samples[0]?.tokens.input, 70, 'tokens of a failed run still count');

    const caesar = byId.get('py-gen-caesar');
    assert.deepEqual(
      caesar?.samples.map((s) => s.status),
      ['timeout', 'timeout'],
    );
    assert.match(caesar?.samples[0]?.reason ?? '', /timeout/);

    const s = result.summary;
    assert.equal(result.partial, false);
    assert.deepEqual(s.statusCounts, { passed: 3, failed: 1, error: 2, timeout: 2, cancelled: 0 });
    assert.equal(s.passAtK['1']?.value, (1 + 0.5 + 0 + 0) / 4);
    assert.equal(s.passAtK['2']?.value, (1 + 1 + 0 + 0) / 4);
    assert.equal(s.wellFormedEditRate, 2 / 3);
    assert.equal(s.repairSuccessRate, 1);
    assert.equal(s.zeroTokenFixShare, 1 / 2);
    // the JSON report round-trips through its schema
    const again = parseReportJson(reportJson(result), 'mem');
    assert.deepEqual(again, result);
  });

  it('keeps to the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const solve: SolveFn = async (task) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      return { text: task.reference ?? '' };
    };
    const tasks = [pick('ts-fix-pluralize'), pick('ts-fix-sum-range'), pick('ts-gen-median')];
    const result = await runBench({
      suite,
      tasks,
      config: config({ n: 3, k: [1], concurrency: 2 }),
      toolVersion: 't',
      solve,
    });
    assert.equal(peak, 2);
    assert.equal(result.summary.statusCounts.passed, 9);
  });

  it('stops cleanly when aborted and returns partial results', async () => {
    const stop = new AbortController();
    let calls = 0;
    const solve: SolveFn = (task, _sample, signal) => {
      calls++;
      if (calls === 2) setTimeout(() => stop.abort(), 50);
      return new Promise((resolveSolve, reject) => {
        const timer = setTimeout(() => resolveSolve({ text: task.reference ?? '' }), calls === 1 ? 10 : 5000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new AnnealError('cancelled', 'cancelled'));
        });
      });
    };
    const tasks = [pick('ts-fix-pluralize'), pick('ts-fix-sum-range'), pick('ts-gen-median')];
    const result = await runBench({
      suite,
      tasks,
      config: config({ n: 2, k: [1], concurrency: 1 }),
      toolVersion: 't',
      solve,
      signal: stop.signal,
    });
    assert.equal(result.partial, true);
    assert.equal(result.summary.statusCounts.passed, 1);
    assert.equal(result.summary.statusCounts.cancelled, 5);
    assert.equal(result.tasks[0]?.metrics.n, 1, 'cancelled samples are left out of the metrics');
    assert.equal(result.summary.samples, 1);
  });
});

describe('anneal bench command (injected solver)', function () {
  this.timeout(120_000);
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'anneal-bench-cmd-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  function io(solve: SolveFn, signal?: AbortSignal) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return {
      stdout,
      stderr,
      io: {
        stdout: (s: string) => void stdout.push(s),
        stderr: (s: string) => void stderr.push(s),
        isTTY: false,
        solve,
        ...(signal ? { signal } : {}),
      },
    };
  }

  it('rejects bad usage with exit code 2', async () => {
    const t = io(async () => ({ text: '' }));
    assert.equal(await runBenchCommand(['-n', '1', '-k', '5'], t.io), 2);
    assert.match(t.stderr.join(''), /k <= n/);
    assert.equal(await runBenchCommand(['--provider', 'nope'], t.io), 2);
    assert.equal(await runBenchCommand(['--filter', 'no-such-task'], t.io), 2);
    assert.equal(await runBenchCommand(['--suite', join(out, 'missing.jsonl')], t.io), 2);
  });

  it('writes the three reports, prints progress lines, and compares two runs', async () => {
    const right = io(async (task) => ({ text: task.reference ?? '' }));
    const code = await runBenchCommand(
      ['--filter', 'ts-fix-p', '-n', '2', '-k', '1,2', '--out', join(out, 'a')],
      right.io,
    );
    assert.equal(code, 0, right.stderr.join(''));
    for (const f of ['results.json', 'report.md', 'report.html']) assert.ok(existsSync(join(out, 'a', f)), f);
    assert.match(right.stderr.join(''), /\[1\/4\] ts-fix-p\S+#\d passed .*ETA/);
    assert.match(right.stdout.join(''), /pass@2: 100\.0%/);

    const wrong = io(async (task) => ({
      text: task.id === 'ts-fix-pluralize' ? (task.wrong ?? '') : (task.reference ?? ''),
    }));
    assert.equal(
      await runBenchCommand(
        ['--filter', 'ts-fix-p', '-n', '2', '-k', '1,2', '--out', join(out, 'b')],
        wrong.io,
      ),
      0,
    );

    const cmp = io(async () => ({ text: '' }));
    const md = join(out, 'cmp.md');
    assert.equal(
      await runBenchCommand(
        ['compare', join(out, 'a', 'results.json'), join(out, 'b', 'results.json'), '--out', md],
        cmp.io,
      ),
      0,
    );
    const text = cmp.stdout.join('');
    assert.match(text, /ts-fix-pluralize\s+✘ broken\s+100\.0% → 0\.0%/);
    assert.doesNotMatch(text, /ts-fix-parse-port/, 'unchanged tasks are not listed');
    assert.match(readFileSync(md, 'utf8'), /\| ts-fix-pluralize \| ✘ broken \|/);

    const a = parseReportJson(readFileSync(join(out, 'a', 'results.json'), 'utf8'), 'a');
    const b = parseReportJson(readFileSync(join(out, 'b', 'results.json'), 'utf8'), 'b');
    const c = compareResults(a, b);
    assert.deepEqual(c.counts, { fixed: 0, broken: 1, better: 0, worse: 0, same: 1, added: 0, removed: 0 });
    assert.match(comparisonMarkdown(c), /pass@1 \| 100\.0% \| 50\.0% \| −50\.0%/);
  });

  it('exits 130 with partial reports when stopped', async () => {
    const stop = new AbortController();
    const t = io(async (task, sample, signal) => {
      if (sample === 1) stop.abort();
      await new Promise((r) => setTimeout(r, 20));
      signal.throwIfAborted();
      return { text: task.reference ?? '' };
    }, stop.signal);
    const code = await runBenchCommand(
      ['--filter', 'ts-gen-', '-n', '2', '--concurrency', '1', '--out', join(out, 'p')],
      t.io,
    );
    assert.equal(code, 130);
    const partial = parseReportJson(readFileSync(join(out, 'p', 'results.json'), 'utf8'), 'p');
    assert.equal(partial.partial, true);
    assert.equal(partial.summary.statusCounts.passed, 1);
    assert.match(t.stdout.join(''), /Partial results/);
  });

  it('refuses a result file of another schema version', async () => {
    const t = io(async () => ({ text: '' }));
    const bad = join(out, 'old.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 99 }));
    assert.equal(await runBenchCommand(['compare', bad, bad], t.io), 2);
    assert.match(t.stderr.join(''), /schemaVersion 99/);
  });
});
