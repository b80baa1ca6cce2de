import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { AnnealError } from '../../../src/agent/annealError';
import { EslintFixer } from '../../../src/agent/validators/eslint/eslintFixer';
import type { EslintContext } from '../../../src/agent/validators/eslint/eslintRunner';
import { EslintValidator } from '../../../src/agent/validators/eslint/eslintValidator';
import { findEslintConfig, resolveProjectEslint } from '../../../src/agent/validators/eslint/projectEslint';
import { createJsValidators } from '../../../src/agent/validators/jsValidators';
import { TestsValidator } from '../../../src/agent/validators/tests/testsValidator';
import { treeChecksum } from '../python/treeChecksum';

const fixtures = resolve(__dirname, '../../fixtures');
const projectDir = join(fixtures, 'js-eslint');
const file = join(projectDir, 'src', 'app.js');

function context(dir: string, trusted = true): EslintContext {
  const eslint = resolveProjectEslint(dir);
  assert.ok(eslint, 'the fixture resolves an eslint package');
  return { projectDir: dir, stopDir: dir, eslint, timeoutMs: 30_000, trusted };
}

const BAD = [
  'var a = 1;',
  'let b = 2;',
  'export const c = a + b + missing;',
  'if (a == b) console.log("x");',
  'function unused() {}',
  '',
].join('\n');

describe('EslintValidator', function () {
  this.timeout(60_000);
  const validator = new EslintValidator(context(projectDir));

  it("maps the project's ESLint messages to 0-based reports with codes and categories", async () => {
    const before = treeChecksum(projectDir);
    const reports = await validator.validate({ file, text: BAD, projectDir });
    assert.deepEqual(
      reports.map((r) => [
        r.code,
        r.line,
        r.character,
        r.endLine,
        r.endCharacter,
        r.severity,
        r.category,
        r.tool,
      ]),
      [
        ['no-var', 0, 0, 0, 10, 'error', 'other', 'eslint'],
        ['prefer-const', 1, 4, 1, 5, 'error', 'other', 'eslint'],
        ['no-undef', 2, 25, 2, 32, 'error', 'undefined_name', 'eslint'],
        ['eqeqeq', 3, 6, 3, 8, 'error', 'other', 'eslint'],
        ['no-unused-vars', 4, 9, 4, 15, 'warning', 'other', 'eslint'],
      ],
    );
    assert.equal(reports[2]?.message, "'missing' is not defined.");
    assert.equal(reports[0]?.file, file);
    assert.equal(treeChecksum(projectDir), before, 'linting writes nothing');
  });

  it('reports a parse error as a syntax error', async () => {
    const reports = await validator.validate({ file, text: 'export const x = ;\n', projectDir });
    assert.deepEqual(
      reports.map((r) => [r.code, r.line, r.character, r.severity, r.category]),
      [['parse-error', 0, 17, 'error', 'syntax']],
    );
    assert.match(reports[0]?.message ?? '', /Parsing error/);
  });

  it('returns nothing for a clean file and for a file the config ignores', async () => {
    assert.deepEqual(await validator.validate({ file, text: 'export const ok = 1;\n', projectDir }), []);
    const ignored = join(projectDir, 'generated', 'out.js');
    assert.deepEqual(await validator.validate({ file: ignored, text: 'var x = 1;\n', projectDir }), []);
  });

  it('turns a configuration that fails to load into one warning, not a crash', async () => {
    const dir = join(fixtures, 'js-eslint-broken');
    const broken = new EslintValidator(context(dir));
    const reports = await broken.validate({
      file: join(dir, 'src', 'app.js'),
      text: 'var x = 1;\n',
      projectDir: dir,
    });
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.severity, 'warning');
    assert.equal(reports[0]?.category, 'other');
    assert.equal(reports[0]?.code, 'eslint-failed');
    assert.match(reports[0]?.message ?? '', /config exploded on purpose/);
  });

  it('refuses to run for an untrusted workspace', async () => {
    const untrusted = new EslintValidator(context(projectDir, false));
    await assert.rejects(untrusted.validate({ file, text: BAD, projectDir }), (e) =>
      AnnealError.is(e, 'untrusted'),
    );
  });

  it('applies only to JavaScript and TypeScript-like files', () => {
    assert.equal(validator.appliesTo('/p/a.ts'), true);
    assert.equal(validator.appliesTo('/p/a.mjs'), true);
    assert.equal(validator.appliesTo('/p/a.tsx'), true);
    assert.equal(validator.appliesTo('/p/a.py'), false);
  });
});

describe('EslintFixer', function () {
  this.timeout(60_000);
  const ctx = context(projectDir);
  const validator = new EslintValidator(ctx);
  const fixer = new EslintFixer(ctx);

  it('applies no-var and prefer-const fixes and nothing else', async () => {
    const reports = await validator.validate({ file, text: BAD, projectDir });
    const result = await fixer.fix({ file, text: BAD, projectDir }, reports);
    assert.equal(
      result.text,
      [
        'const a = 1;',
        'const b = 2;',
        'export const c = a + b + missing;',
        'if (a == b) console.log("x");',
        'function unused() {}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(result.fixes.map((f) => [f.tool, f.code]).sort(), [
      ['eslint', 'no-var'],
      ['eslint', 'prefer-const'],
      ['eslint', 'prefer-const'],
    ]);
    const after = await validator.validate({ file, text: result.text, projectDir });
    assert.deepEqual(
      after.filter((r) => r.severity === 'error').map((r) => r.code),
      ['no-undef', 'eqeqeq'],
    );
  });

  it('fixes only the reports it is handed (a target scope)', async () => {
    const reports = await validator.validate({ file, text: BAD, projectDir });
    const onlyB = reports.filter((r) => r.code === 'prefer-const');
    const result = await fixer.fix({ file, text: BAD, projectDir }, onlyB);
    assert.equal(result.text, BAD.replace('let b = 2;', 'const b = 2;'));
    assert.deepEqual(
      result.fixes.map((f) => [f.code, f.line]),
      [['prefer-const', 1]],
    );
  });

  it('leaves text without fixable errors unchanged', async () => {
    const text = 'export const c = missing;\n';
    const reports = await validator.validate({ file, text, projectDir });
    assert.deepEqual(await fixer.fix({ file, text, projectDir }, reports), { text, fixes: [] });
  });

  it('keeps a byte-order mark and fixes at the right offsets after it', async () => {
    const text = '\uFEFFlet b = 2;\nexport { b };\n';
    const reports = await validator.validate({ file, text, projectDir });
    const result = await fixer.fix({ file, text, projectDir }, reports);
    assert.equal(result.text, '\uFEFFconst b = 2;\nexport { b };\n');
  });
});

describe('createJsValidators', () => {
  it('creates the ESLint validator and fixer only for a project with an ESLint config', () => {
    const withConfig = createJsValidators({ projectDir, eslint: true, tests: false, trusted: true });
    assert.deepEqual(
      withConfig.validators.map((v) => v.tool),
      ['eslint'],
    );
    assert.deepEqual(
      withConfig.fixers.map((f) => f.tool),
      ['eslint'],
    );
    assert.equal(withConfig.slowValidators.length, 0);

    const noConfig = createJsValidators({
      projectDir: join(fixtures, 'js-eslint-noconfig'),
      eslint: true,
      tests: false,
      trusted: true,
    });
    assert.deepEqual(noConfig, { validators: [], slowValidators: [], fixers: [] });
  });

  it('looks for a config no higher than the workspace root', () => {
    const dir = join(fixtures, 'js-eslint-noconfig');
    // The repository root above the fixture has its own eslint.config.mjs.
    assert.equal(findEslintConfig(dir, dir), undefined);
    assert.ok(findEslintConfig(dir, resolve(fixtures, '../..'))?.flat);
  });

  it('adds the tests as a slow validator, and nothing for an untrusted workspace', () => {
    const set = createJsValidators({
      projectDir,
      eslint: false,
      tests: true,
      trusted: true,
      testCommand: 'npm test',
    });
    assert.equal(set.validators.length, 0);
    assert.equal(set.slowValidators.length, 1);
    assert.ok(set.slowValidators[0] instanceof TestsValidator);
    assert.deepEqual(createJsValidators({ projectDir, eslint: true, tests: true, trusted: false }), {
      validators: [],
      slowValidators: [],
      fixers: [],
    });
  });
});
