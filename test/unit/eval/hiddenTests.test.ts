import assert from 'node:assert/strict';
import { loadSuite, parseSuite, templateDirFor, type BenchTask } from '../../../src/agent/eval/benchTask';
import { runHiddenTests } from '../../../src/agent/eval/hiddenTests';
import { ProgressBar, etaMs, formatDuration } from '../../../src/agent/eval/progressBar';
import { AnnealError } from '../../../src/agent/annealError';

const suite = loadSuite('builtin');
const task = (id: string): BenchTask => {
  const t = suite.tasks.find((x) => x.id === id);
  assert.ok(t, id);
  return t;
};

describe('hidden tests', function () {
  this.timeout(60_000);

  it('kills a hung TypeScript candidate at the timeout', async () => {
    const t = task('ts-gen-slugify');
    const started = Date.now();
    const r = await runHiddenTests(
      t,
      'export function slugify(title: string): string {\n  while (true) {}\n  return title;\n}\n',
      { templateDir: templateDirFor(suite, t), timeoutMs: 1500 },
    );
    assert.equal(r.outcome, 'timeout');
    assert.equal(r.passed, false);
    assert.ok(Date.now() - started < 15_000);
  });

  it('kills a hung Python candidate at the timeout', async () => {
    const t = task('py-gen-caesar');
    const r = await runHiddenTests(
      t,
      'def caesar(text: str, shift: int) -> str:\n    while True:\n        pass\n',
      {
        templateDir: templateDirFor(suite, t),
        timeoutMs: 1500,
      },
    );
    assert.equal(r.outcome, 'timeout');
  });

  it('fails a candidate that does not parse, saying where', async () => {
    const t = task('ts-gen-slugify');
    const r = await runHiddenTests(
      t,
      'export function slugify(title: string): string {\n  return (title;\n}\n',
      {
        templateDir: templateDirFor(suite, t),
      },
    );
    assert.equal(r.outcome, 'failed');
    assert.match(r.output, /does not compile:\nsrc\/slugify\.ts:2:/);
  });

  it('stops when cancelled', async () => {
    const t = task('py-gen-caesar');
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const r = await runHiddenTests(t, 'def caesar(text, shift):\n    while True:\n        pass\n', {
      templateDir: templateDirFor(suite, t),
      timeoutMs: 20_000,
      signal: stop.signal,
    });
    assert.equal(r.outcome, 'cancelled');
  });
});

describe('suite files', () => {
  it('reports a bad line with its number and field', () => {
    const good = JSON.stringify({
      id: 'a',
      language: 'python',
      kind: 'generate',
      file: 'a.py',
      prompt: '',
      tests: { file: 'test_a.py', content: '' },
    });
    assert.equal(parseSuite(good + '\n\n// a comment\n', 's.jsonl').length, 1);
    assert.throws(
      () => parseSuite(good + '\n{"id":"b","language":"rust"}', 's.jsonl'),
      (e: unknown) => AnnealError.is(e, 'badInput') && /s\.jsonl:2: language/.test(e.message),
    );
    assert.throws(() => parseSuite(good + '\n' + good, 's.jsonl'), /duplicate task id "a"/);
    assert.throws(
      () => parseSuite(good.replace('"a.py"', '"../a.py"'), 's.jsonl'),
      /file: must be a relative path/,
    );
    assert.throws(() => parseSuite('{oops', 's.jsonl'), /s\.jsonl:1: not valid JSON/);
  });
});

describe('progress bar', () => {
  const last = { task: 't', sample: 0, status: 'passed' as const, seconds: 1.25 };

  it('formats durations and the ETA from the pace so far', () => {
    assert.equal(formatDuration(42_000), '42s');
    assert.equal(formatDuration(125_000), '2m05s');
    assert.equal(formatDuration(3_725_000), '1h02m');
    assert.equal(etaMs({ done: 0, total: 10, elapsedMs: 5 }), undefined);
    assert.equal(etaMs({ done: 2, total: 10, elapsedMs: 4000 }), 16_000);
  });

  it('redraws one line on a terminal and prints plain lines otherwise', () => {
    const tty: string[] = [];
    const bar = new ProgressBar((s) => void tty.push(s), true, 10);
    bar.update({ done: 5, total: 10, passed: 4, elapsedMs: 10_000, last });
    bar.finish();
    assert.equal(tty[0], '\r\x1b[K█████░░░░░ 5/10 50% · 4 passed · ETA 10s');
    assert.equal(tty[1], '\n');
    const plain: string[] = [];
    new ProgressBar((s) => void plain.push(s), false).update({
      done: 1,
      total: 4,
      passed: 1,
      elapsedMs: 3000,
      last,
    });
    assert.deepEqual(plain, ['[1/4] t#0 passed (1.3s) · ETA 9s\n']);
  });
});
