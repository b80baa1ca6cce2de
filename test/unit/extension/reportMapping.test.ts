import { strict as assert } from 'node:assert';
import { groupReportsByFile, reportToDiagnosticData } from '../../../src/extension/diagnostics/reportMapping';
import { diffTitle, verdictText } from '../../../src/extension/proposals/verdictText';
import { report } from './proposalFixtures';

describe('report → diagnostic data', () => {
  it('keeps the 0-based range, uses the tool code and puts the category in the message', () => {
    assert.deepEqual(reportToDiagnosticData(report()), {
      startLine: 1,
      startCharacter: 4,
      endLine: 1,
      endCharacter: 9,
      message: "Cannot find name 'total'. [undefined_name, tsc]",
      code: 'TS2304',
      severity: 'error',
      source: 'Anneal',
    });
  });

  it('never produces a range that ends before it starts', () => {
    const d = reportToDiagnosticData(report({ line: 3, character: 5, endLine: 2, endCharacter: 0 }));
    assert.deepEqual([d.startLine, d.startCharacter, d.endLine, d.endCharacter], [3, 5, 3, 5]);
  });

  it('groups by file in order and collapses duplicates', () => {
    const grouped = groupReportsByFile([
      report({ file: '/a.ts', line: 2 }),
      report({ file: '/b.ts', severity: 'warning', code: 'no-unused-vars', tool: 'eslint' }),
      report({ file: '/a.ts', line: 2 }),
      report({ file: '/a.ts', line: 0 }),
    ]);
    assert.deepEqual([...grouped.keys()], ['/a.ts', '/b.ts']);
    assert.deepEqual(
      grouped.get('/a.ts')?.map((d) => d.startLine),
      [2, 0],
    );
    assert.equal(grouped.get('/b.ts')?.[0]?.severity, 'warning');
  });
});

describe('verdict text and diff title', () => {
  it('says validated or how many errors remain', () => {
    assert.equal(verdictText('validated', []), '✓ validated');
    assert.equal(
      verdictText('errors_remain', [report(), report(), report({ severity: 'warning' })]),
      '✗ 2 errors remain',
    );
    assert.equal(verdictText('errors_remain', [report()]), '✗ 1 error remains');
    assert.equal(verdictText('needs_model', [report()]), '✗ 1 error remains, needs a model');
  });

  it('names the file and the verdict', () => {
    assert.equal(diffTitle('cart.ts', 'validated', []), 'cart.ts ↔ Anneal proposal (✓ validated)');
    assert.equal(
      diffTitle('cart.ts', 'errors_remain', [report(), report()]),
      'cart.ts ↔ Anneal proposal (✗ 2 errors remain)',
    );
  });
});
