import { strict as assert } from 'node:assert';
import { classifyTypeScript, classifyEslint } from '../../../src/agent/validators/classify';

describe('classification', () => {
  it('maps TypeScript codes to categories', () => {
    assert.equal(classifyTypeScript(1005, false), 'syntax');
    assert.equal(classifyTypeScript(1128, false), 'syntax');
    assert.equal(classifyTypeScript(2304, true), 'missing_import');
    assert.equal(classifyTypeScript(2304, false), 'undefined_name');
    assert.equal(classifyTypeScript(2552, true), 'missing_import');
    assert.equal(classifyTypeScript(2552, false), 'undefined_name');
    assert.equal(classifyTypeScript(2551, false), 'undefined_name');
    assert.equal(classifyTypeScript(2339, false), 'undefined_name');
    assert.equal(classifyTypeScript(2663, false), 'undefined_name');
    assert.equal(classifyTypeScript(2307, false), 'missing_import');
    assert.equal(classifyTypeScript(2305, false), 'missing_import');
    assert.equal(classifyTypeScript(2322, false), 'type_mismatch');
    assert.equal(classifyTypeScript(2345, false), 'type_mismatch');
    assert.equal(classifyTypeScript(2554, false), 'type_mismatch');
    assert.equal(classifyTypeScript(18048, false), 'type_mismatch');
    assert.equal(classifyTypeScript(1308, false), 'other');
    assert.equal(classifyTypeScript(6133, false), 'other');
  });
  it('maps ESLint rules to categories', () => {
    assert.equal(classifyEslint(null, true), 'syntax');
    assert.equal(classifyEslint('no-undef', false), 'undefined_name');
    assert.equal(classifyEslint('eqeqeq', false), 'other');
  });
});
