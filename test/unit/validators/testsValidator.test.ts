import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AnnealError } from '../../../src/agent/annealError';
import { TestsValidator } from '../../../src/agent/validators/tests/testsValidator';
import type { ValidationReport } from '../../../src/protocol/reports';
import { treeChecksum } from '../python/treeChecksum';

const fixtures = resolve(__dirname, '../../fixtures');
const projectDir = join(fixtures, 'ts-tests');
const mathFile = join(projectDir, 'src', 'math.mjs');
const MATH = readFileSync(mathFile, 'utf8');

function summary(reports: readonly ValidationReport[]): unknown[] {
  return reports.map((r) => [r.code, r.category, r.severity, r.tool, r.line]);
}

function copies(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('anneal-tests-'));
}

/** Whether a process is gone (a zombie awaiting its reaper counts as gone: it runs nothing). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (isGone(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return isGone(pid);
}

async function readPid(pidFile: string, ms: number): Promise<number> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (pid > 0) return pid;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the candidate never started its child process');
}

/** A candidate that forks a long sleep, records its pid, and then never finishes loading. */
function hangingCandidate(pidFile: string): string {
  return [
    "import { spawn } from 'node:child_process';",
    "import { writeFileSync } from 'node:fs';",
    "const child = spawn('sleep', ['1000'], { stdio: 'ignore' });",
    `writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));`,
    'await new Promise(() => setInterval(() => {}, 1000));',
    'export function add(a, b) {',
    '  return a + b;',
    '}',
    'export function scale(values, factor) {',
    '  return values.map((v) => v * factor);',
    '}',
    '',
  ].join('\n');
}

describe('TestsValidator (node --test)', function () {
  this.timeout(60_000);
  const validator = new TestsValidator({ projectDir, trusted: true, timeoutMs: 30_000 });
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'anneal-spec-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reports a broken test as a contract violation with its name and full assertion message', async () => {
    const before = treeChecksum(projectDir);
    const leftovers = copies().length;
    const text = MATH.replace('return a + b;', 'return a - b;');
    const reports = await validator.validate({ file: mathFile, text, projectDir });
    assert.deepEqual(summary(reports), [['add sums two numbers', 'contract_violation', 'error', 'tests', 0]]);
    const message = reports[0]?.message ?? '';
    assert.match(message, /^add\(2, 3\) should be 5\n\n-1 !== 5\n/);
    assert.match(message, /expected: 5\nactual: -1$/);
    assert.equal(reports[0]?.file, mathFile);
    assert.equal(treeChecksum(projectDir), before, "the user's tree changed");
    assert.equal(copies().length, leftovers, 'the temporary copy was not removed');
  });

  it('names nested tests by their suites and points at the target line a stack frame names', async () => {
    const text = MATH.replace(
      'return values.map',
      "if (factor === 2) throw new RangeError('no doubling');\n  return values.map",
    );
    const reports = await validator.validate({ file: mathFile, text, projectDir });
    assert.deepEqual(summary(reports), [
      ['scale > multiplies every value', 'contract_violation', 'error', 'tests', 5],
    ]);
    assert.equal(reports[0]?.message, 'no doubling');
  });

  it('reports a test file that cannot load the candidate, with what Node printed', async () => {
    const text = MATH.replace('return a + b;', 'return a + ;');
    const reports = await validator.validate({ file: mathFile, text, projectDir });
    assert.deepEqual(summary(reports), [['test/math.test.mjs', 'contract_violation', 'error', 'tests', 1]]);
    assert.match(reports[0]?.message ?? '', /SyntaxError: Unexpected token/);
    assert.ok(
      !(reports[0]?.message ?? '').includes('anneal-tests-'),
      'copy paths are mapped back to the project',
    );
  });

  it('passes a candidate that keeps the tests green', async () => {
    const text = MATH.replace('return a + b;', 'return b + a;');
    assert.deepEqual(await validator.validate({ file: mathFile, text, projectDir }), []);
  });

  it('runs TypeScript tests (through the project’s tsx on Node 20)', async () => {
    const file = join(projectDir, 'src', 'greet.ts');
    const text = 'export function greet(name: string): string {\n  return `Hi, ${name}`;\n}\n';
    const reports = await validator.validate({ file, text, projectDir });
    assert.deepEqual(summary(reports), [['greets by name', 'contract_violation', 'error', 'tests', 0]]);
    assert.match(reports[0]?.message ?? '', /Hello, Ada!/);
  });

  it('has nothing to check for a file without related tests (and ignores the npm placeholder script)', async () => {
    const file = join(projectDir, 'src', 'lonely.mjs');
    assert.deepEqual(
      await validator.validate({ file, text: 'export const lonely = false;\n', projectDir }),
      [],
    );
  });

  it('stops a run at the timeout and kills the processes it forked', async () => {
    const pidFile = join(scratch, 'child.pid');
    const short = new TestsValidator({ projectDir, trusted: true, timeoutMs: 3_000 });
    const started = Date.now();
    const running = short.validate({ file: mathFile, text: hangingCandidate(pidFile), projectDir });
    const pid = await readPid(pidFile, 20_000);
    assert.equal(isGone(pid), false, 'the forked child runs while the tests hang');
    const reports = await running;
    assert.ok(Date.now() - started < 20_000);
    assert.deepEqual(summary(reports), [['timeout', 'contract_violation', 'error', 'tests', 0]]);
    assert.match(reports[0]?.message ?? '', /took longer than 3 s and were stopped/);
    assert.ok(await waitGone(pid, 5_000), 'the forked child outlived the timeout');
  });

  it('is cancelled by its AbortSignal, quickly, with the forked child gone', async () => {
    const pidFile = join(scratch, 'child.pid');
    const controller = new AbortController();
    const running = validator.validate({
      file: mathFile,
      text: hangingCandidate(pidFile),
      projectDir,
      signal: controller.signal,
    });
    const pid = await readPid(pidFile, 20_000);
    const abortedAt = Date.now();
    controller.abort();
    await assert.rejects(running, (e) => AnnealError.is(e, 'cancelled'));
    assert.ok(Date.now() - abortedAt < 3_000, 'cancellation took too long');
    assert.ok(await waitGone(pid, 5_000), 'the forked child outlived the cancellation');
  });

  it('refuses to run for an untrusted workspace', async () => {
    const untrusted = new TestsValidator({ projectDir, trusted: false });
    await assert.rejects(untrusted.validate({ file: mathFile, text: MATH, projectDir }), (e) =>
      AnnealError.is(e, 'untrusted'),
    );
  });
});

describe('TestsValidator (configured command)', function () {
  this.timeout(60_000);
  const validator = new TestsValidator({
    projectDir,
    trusted: true,
    testCommand: 'node check.mjs',
    timeoutMs: 30_000,
  });

  it('runs the configured command in the copy and reports its output when it fails', async () => {
    const before = treeChecksum(projectDir);
    const text = MATH.replace('return a + b;', 'return a - b;');
    const reports = await validator.validate({ file: mathFile, text, projectDir });
    assert.deepEqual(summary(reports), [['tests-failed', 'contract_violation', 'error', 'tests', 0]]);
    assert.match(reports[0]?.message ?? '', /^`node check\.mjs` exited with code 3:\n/);
    assert.match(reports[0]?.message ?? '', /custom check: add\(1, 1\) returned 0/);
    assert.equal(treeChecksum(projectDir), before);
  });

  it('passes when the command exits 0, even for a file without related tests', async () => {
    assert.deepEqual(await validator.validate({ file: mathFile, text: MATH, projectDir }), []);
    const lonely = join(projectDir, 'src', 'lonely.mjs');
    assert.deepEqual(
      await validator.validate({ file: lonely, text: 'export const lonely = 1;\n', projectDir }),
      [],
    );
  });
});

describe('TestsValidator (mocha)', function () {
  this.timeout(60_000);
  const dir = join(fixtures, 'ts-tests-mocha');
  const file = join(dir, 'src', 'price.mjs');
  const validator = new TestsValidator({ projectDir: dir, trusted: true, timeoutMs: 30_000 });

  it("parses Mocha's JSON report", async () => {
    const text = 'export function withTax(amount) {\n  return amount;\n}\n';
    const reports = await validator.validate({ file, text, projectDir: dir });
    assert.deepEqual(summary(reports), [
      ['withTax adds the rate', 'contract_violation', 'error', 'tests', 0],
    ]);
    assert.match(reports[0]?.message ?? '', /^withTax\(100, 0\.2\) should be 120\n\n100 !== 120\n/);
    const ok = readFileSync(file, 'utf8');
    assert.deepEqual(await validator.validate({ file, text: ok, projectDir: dir }), []);
  });
});
