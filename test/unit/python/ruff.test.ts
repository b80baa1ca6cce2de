import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { RuffFixer } from '../../../src/agent/fixers/ruffFixer';
import { insertImport } from '../../../src/agent/validators/python/pythonImports';
import { RuffValidator } from '../../../src/agent/validators/python/ruffValidator';
import type { ValidationReport } from '../../../src/protocol/reports';

const projectDir = resolve(__dirname, '../../fixtures/py-imports');
const file = join(projectDir, 'app.py');

function input(text: string) {
  return { file, text, projectDir };
}

describe('RuffValidator', () => {
  const ruff = new RuffValidator();

  it('reports an unused import as a warning and an undefined name as an error, 0-based', async () => {
    const reports = await ruff.validate(input('import sys\n\nprint(undefined_y)\n'));
    assert.deepEqual(
      reports.map((r) => [r.code, r.line, r.character, r.endCharacter, r.severity, r.category, r.tool]),
      [
        ['F401', 0, 7, 10, 'warning', 'other', 'ruff'],
        ['F821', 2, 6, 17, 'error', 'undefined_name', 'ruff'],
      ],
    );
  });

  it('classifies an undefined but importable name as missing_import', async () => {
    const reports = await ruff.validate(input('print(os.getcwd(), slugify("A b"))\n'));
    assert.deepEqual(
      reports.map((r) => [r.code, r.category]),
      [
        ['F821', 'missing_import'],
        ['F821', 'missing_import'],
      ],
    );
  });

  it('reports a syntax error', async () => {
    const reports = await ruff.validate(input('def broken(:\n    pass\n'));
    assert.ok(reports.length > 0);
    assert.equal(reports[0]?.category, 'syntax');
    assert.equal(reports[0]?.severity, 'error');
    assert.equal(reports[0]?.line, 0);
  });

  it('counts columns in UTF-16 units like the editor', async () => {
    const reports = await ruff.validate(input('s = "é🙂"; print(nope)\n'));
    const r = reports.find((x) => x.code === 'F821');
    assert.equal(r?.character, 'a = "é🙂"; print('.length);
  });

  it('applies only to Python files', () => {
    assert.equal(ruff.appliesTo('/x/a.py'), true);
    assert.equal(ruff.appliesTo('/x/a.pyi'), true);
    assert.equal(ruff.appliesTo('/x/a.ts'), false);
  });
});

describe('RuffFixer', () => {
  const fixer = new RuffFixer();

  it('removes an unused import but leaves unsafe fixes alone', async () => {
    const text = 'import os\nimport sys\n\n\ndef f(x):\n    if x == None:\n        return sys.argv\n';
    const { text: out, fixes } = await fixer.fix(input(text), []);
    assert.equal(out, 'import sys\n\n\ndef f(x):\n    if x == None:\n        return sys.argv\n');
    assert.deepEqual(
      fixes.map((f) => [f.tool, f.fixName, f.code, f.line]),
      [['ruff', 'safeFix', 'F401', 0]],
    );
  });

  it('adds stdlib and sibling imports after the docstring and existing imports', async () => {
    const text = [
      '"""Doc."""',
      '',
      'from __future__ import annotations',
      '',
      'from helpers import Money',
      '',
      '',
      'def run(p: str) -> Money:',
      '    base = Path(p)',
      '    print(os.path.join(str(base), slugify("A B")), parse_amount("1.5"))',
      '    return Money(1)',
      '',
    ].join('\n');
    const { text: out, fixes } = await fixer.fix(input(text), []);
    assert.equal(
      out,
      [
        '"""Doc."""',
        '',
        'from __future__ import annotations',
        '',
        'from helpers import Money, slugify',
        'from pathlib import Path',
        'import os',
        'from pkg.util import parse_amount',
        '',
        '',
        'def run(p: str) -> Money:',
        '    base = Path(p)',
        '    print(os.path.join(str(base), slugify("A B")), parse_amount("1.5"))',
        '    return Money(1)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(fixes.map((f) => f.fixName).sort(), Array(4).fill('addMissingImport'));
    assert.equal(fixes.find((f) => f.description.includes('import os'))?.line, 6);
  });

  it('refuses an ambiguous name and a name used both as module and value', async () => {
    const text = 'def show(c):\n    return format_price(c), datetime.now(), json.dumps(c), json\n';
    const { text: out, fixes } = await fixer.fix(input(text), []);
    assert.equal(out, text);
    assert.deepEqual(fixes, []);
  });

  it('also fixes names that only pyright reported', async () => {
    const text = 'x = 1\nprint(json.dumps(x))\n';
    const report: ValidationReport = {
      file,
      line: 1,
      character: 6,
      endLine: 1,
      endCharacter: 10,
      code: 'reportUndefinedVariable',
      category: 'missing_import',
      severity: 'error',
      message: '"json" is not defined',
      tool: 'pyright',
    };
    const { text: out } = await fixer.fix(input(text), [report]);
    assert.equal(out, 'import json\n\nx = 1\nprint(json.dumps(x))\n');
  });
});

describe('insertImport', () => {
  it('goes after a shebang and before code when the file has no imports', () => {
    assert.equal(
      insertImport('#!/usr/bin/env python\nprint(1)\n', { module: 're' }),
      '#!/usr/bin/env python\nimport re\n\nprint(1)\n',
    );
  });

  it('adds a blank line after a docstring', () => {
    assert.equal(insertImport('"""D."""\nx = 1\n', { module: 'os' }), '"""D."""\n\nimport os\n\nx = 1\n');
  });

  it('keeps an already imported name once', () => {
    assert.equal(
      insertImport('from typing import List\n', { module: 'typing', name: 'List' }),
      'from typing import List\n',
    );
  });
});
