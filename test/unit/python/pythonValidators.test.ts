import * as assert from 'node:assert/strict';
import { AnnealError } from '../../../src/agent/annealError';
import { createPythonValidators } from '../../../src/agent/validators/python/pythonValidators';

describe('createPythonValidators', () => {
  it('gives pyright, ruff and pytest with the ruff fixer', () => {
    const set = createPythonValidators({ testsEnabled: true, trusted: true, timeoutMs: 10_000 });
    assert.deepEqual(
      set.validators.map((v) => v.tool),
      ['pyright', 'ruff', 'pytest'],
    );
    assert.deepEqual(
      set.fixers.map((f) => f.tool),
      ['ruff'],
    );
    assert.ok(set.validators.every((v) => v.appliesTo('/p/a.py') && !v.appliesTo('/p/a.ts')));
  });

  it('leaves pytest out when tests are off', () => {
    const set = createPythonValidators({ testsEnabled: false, trusted: true, timeoutMs: 10_000 });
    assert.deepEqual(
      set.validators.map((v) => v.tool),
      ['pyright', 'ruff'],
    );
  });

  it('refuses an untrusted workspace', () => {
    assert.throws(
      () => createPythonValidators({ testsEnabled: true, trusted: false, timeoutMs: 10_000 }),
      (e) => AnnealError.is(e, 'untrusted'),
    );
  });
});
