import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  findPytestPython,
  PytestRunner,
  relatedTests,
} from '../../../src/agent/validators/python/pytestRunner';
import { treeChecksum } from './treeChecksum';

const contractDir = resolve(__dirname, '../../fixtures/py-contract');
const hangDir = resolve(__dirname, '../../fixtures/py-hang');

/** Whether a process is still running (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return existsSync(`/proc/${pid}`);
  }
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

describe('PytestRunner', function () {
  this.timeout(120_000);
  const runner = new PytestRunner({ timeoutMs: 60_000 });

  before(async function () {
    if ((await findPytestPython(contractDir)) === null) this.skip();
  });

  it('finds the tests related to a file', async () => {
    assert.deepEqual(await relatedTests(contractDir, join(contractDir, 'mathx.py')), [
      join(contractDir, 'tests', 'test_mathx.py'),
    ]);
    assert.deepEqual(await relatedTests(contractDir, join(contractDir, 'other.py')), []);
  });

  it('passes when the related tests pass, and ignores unrelated failing tests', async () => {
    const file = join(contractDir, 'mathx.py');
    const reports = await runner.validate({
      file,
      text: readFileSync(file, 'utf8'),
      projectDir: contractDir,
    });
    assert.deepEqual(reports, []);
  });

  it('turns failures into contract_violation reports with node ids and full messages, writing nothing', async () => {
    const before = treeChecksum(contractDir);
    const file = join(contractDir, 'mathx.py');
    const text = [
      'def add(a: int, b: int) -> int:', // 0
      '    return a - b', // 1
      '', // 2
      '', // 3
      'def ratio(a: float, b: float) -> float:', // 4
      '    if b == 4:', // 5
      '        raise ValueError("four is not allowed " + "x" * 300)', // 6
      '    return a / b', // 7
      '',
    ].join('\n');
    const reports = await runner.validate({ file, text, projectDir: contractDir });
    assert.deepEqual(
      reports.map((r) => [r.code, r.line, r.category, r.severity, r.tool, r.file]),
      [
        ['tests/test_mathx.py::test_add', 0, 'contract_violation', 'error', 'pytest', file],
        [
          'tests/test_mathx.py::TestRatio::test_ratio[3-4-0.75]',
          6,
          'contract_violation',
          'error',
          'pytest',
          file,
        ],
      ],
    );
    assert.match(reports[0]?.message ?? '', /assert -1 == 5/);
    // The full text, not cut: the 300 x's of the exception are all there.
    assert.ok(reports[1]?.message.includes(`four is not allowed ${'x'.repeat(300)}`));
    // Paths in messages are the user's, not the sandbox's.
    assert.ok(!reports.some((r) => r.message.includes('anneal-pytest-')));
    assert.equal(treeChecksum(contractDir), before, 'the fixture tree changed');
  });

  it('reports a syntax error in the candidate at its line', async () => {
    const file = join(contractDir, 'mathx.py');
    const reports = await runner.validate({
      file,
      text: 'def add(a, b):\n    return a +\n',
      projectDir: contractDir,
    });
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.line, 1);
    assert.match(reports[0]?.message ?? '', /SyntaxError/);
  });

  it('kills a hanging run and everything it started at the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-hang-test-'));
    const pidfile = join(dir, 'pid');
    process.env.PY_HANG_PIDFILE = pidfile;
    try {
      const before = treeChecksum(hangDir);
      const hanging = new PytestRunner({ timeoutMs: 8_000 });
      const started = Date.now();
      const reports = await hanging.validate({
        file: join(hangDir, 'calc.py'),
        text: 'import time\n\n\ndef compute() -> int:\n    time.sleep(300)\n    return 1\n',
        projectDir: hangDir,
      });
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 20_000, `took ${elapsed} ms`);
      assert.deepEqual(
        reports.map((r) => [r.code, r.category, r.tool]),
        [['timeout', 'contract_violation', 'pytest']],
      );
      assert.ok(existsSync(pidfile), 'the test did not start its child process');
      const pid = Number(readFileSync(pidfile, 'utf8'));
      assert.ok(await waitUntil(() => !alive(pid), 5_000), `forked child ${pid} is still running`);
      assert.equal(treeChecksum(hangDir), before, 'the fixture tree changed');
    } finally {
      delete process.env.PY_HANG_PIDFILE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
