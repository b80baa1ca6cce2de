import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AnnealError } from '../../../src/agent/annealError';
import { PyrightValidator, resolvePyrightCli } from '../../../src/agent/validators/python/pyrightValidator';
import { treeChecksum } from './treeChecksum';

const projectDir = resolve(__dirname, '../../fixtures/py-typecheck');
const file = join(projectDir, 'shop', 'cart.py');

const CANDIDATE = [
  'from .pricing import unit_price', // 0
  '', // 1
  '', // 2
  'def total(items: dict[str, int]) -> int:', // 3
  '    label: str = unit_price("apple")', // 4
  '    print(label, os.getcwd())', // 5
  '    return sum(unit_price(sku) * n for sku, n in items.items()) + undefined_bonus', // 6
  '', // 7
].join('\n');

function mirrors(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('anneal-py-'));
}

describe('PyrightValidator', function () {
  this.timeout(60_000);
  const pyright = new PyrightValidator({ timeoutMs: 45_000 });

  it('finds the bundled pyright CLI', () => {
    assert.ok(existsSync(resolvePyrightCli(projectDir)));
  });

  it('reports a type error, an undefined name and a missing import on the right lines, writing nothing', async () => {
    const before = treeChecksum(projectDir);
    const leftovers = mirrors().length;
    const started = Date.now();
    const reports = await pyright.validate({ file, text: CANDIDATE, projectDir });
    const elapsed = Date.now() - started;
    assert.deepEqual(
      reports.map((r) => [r.line, r.character, r.code, r.category, r.severity, r.tool, r.file]),
      [
        [4, 17, 'reportAssignmentType', 'type_mismatch', 'error', 'pyright', file],
        [5, 17, 'reportUndefinedVariable', 'missing_import', 'error', 'pyright', file],
        [6, 66, 'reportUndefinedVariable', 'undefined_name', 'error', 'pyright', file],
      ],
    );
    assert.match(reports[0]?.message ?? '', /"int" is not assignable to declared type "str"/);
    assert.equal(treeChecksum(projectDir), before, 'the fixture tree changed');
    assert.equal(mirrors().length, leftovers, 'the temporary mirror was not removed');
    // The relative import of a sibling module resolved through the mirror: no reportMissingImports.
    assert.ok(!reports.some((r) => r.code === 'reportMissingImports'));
    console.log(`      pyright cold run: ${elapsed} ms`);
  });

  it('reports a syntax error as category syntax', async () => {
    const reports = await pyright.validate({ file, text: 'def total(:\n    return 1\n', projectDir });
    assert.ok(reports.length > 0);
    assert.ok(reports.every((r) => r.code === 'syntax' && r.category === 'syntax'));
    assert.equal(reports[0]?.line, 0);
  });

  it('passes clean code and checks the on-disk version of the other files', async () => {
    const reports = await pyright.validate({
      file,
      text: 'from .pricing import unit_price\n\n\ndef total() -> int:\n    return unit_price("pear")\n',
      projectDir,
    });
    assert.deepEqual(reports, []);
  });

  it('runs candidates concurrently', async () => {
    const texts = ['x: int = "a"\n', 'y: str = 1\n', 'z = nope\n'];
    const all = await Promise.all(texts.map((text) => pyright.validate({ file, text, projectDir })));
    assert.deepEqual(
      all.map((r) => r.map((x) => x.code)),
      [['reportAssignmentType'], ['reportAssignmentType'], ['reportUndefinedVariable']],
    );
  });

  it('is cancelled by the signal', async () => {
    const ac = new AbortController();
    const p = pyright.validate({ file, text: CANDIDATE, projectDir, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(p, (e) => AnnealError.is(e, 'cancelled'));
  });
});
