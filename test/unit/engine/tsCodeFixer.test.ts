import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TsCodeFixer, introducesNewError } from '../../../src/agent/fixers/tsCodeFixer';
import { TsProjectRegistry } from '../../../src/agent/validators/typescript/tsProjectRegistry';
import { TypeScriptValidator } from '../../../src/agent/validators/typescript/typescriptValidator';
import type { ValidationReport } from '../../../src/protocol/reports';
import { FIXTURES, copyFixture, treeHash } from '../../support/fixtures';

const basic = join(FIXTURES, 'ts-basic');

describe('TsCodeFixer (zero-token fixes)', () => {
  const registry = new TsProjectRegistry();
  const fixer = new TsCodeFixer(registry);
  const validator = new TypeScriptValidator(registry);
  after(() => registry.clear());

  async function fixFile(dir: string, rel: string, f = fixer) {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8');
    const result = await f.fix({ file, text, projectDir: dir });
    const after = await validator.validate({ file, text: result.text, projectDir: dir });
    return { ...result, after, before: text };
  }

  it('adds missing imports from the module that exports the name', async () => {
    const r = await fixFile(basic, 'src/missingImport.ts');
    assert.deepEqual(r.after, []);
    assert.match(r.text, /^import \{ add, clamp \} from '\.\/math\.js';\n/);
    assert.deepEqual(
      r.fixes.map((f) => f.fixName),
      ['import', 'import'],
    );
  });

  it('fixes a misspelled name with the compiler suggestion', async () => {
    const r = await fixFile(basic, 'src/spelling.ts');
    assert.deepEqual(r.after, []);
    assert.equal(r.text, r.before.replace('clamp(ratoi,', 'clamp(ratio,'));
  });

  it("adds a forgotten 'this.'", async () => {
    const r = await fixFile(basic, 'src/counter.ts');
    assert.deepEqual(r.after, []);
    assert.equal(r.text, r.before.replace('    count += 1;', '    this.count += 1;'));
  });

  it('adds a missing await', async () => {
    const r = await fixFile(basic, 'src/awaiting.ts');
    assert.deepEqual(r.after, []);
    assert.match(r.text, /await (fetchScore\(id\)|score)/);
    assert.equal(r.fixes[0]?.fixName, 'addMissingAwait');
  });

  it('never guesses between two modules exporting the same name, but prefers the one the project already imports from', async () => {
    const dir = join(FIXTURES, 'ts-ambiguous');
    const r = await fixFile(dir, 'src/uses.ts');
    // format: dates.ts and money.ts both export it, neither is imported anywhere: left for the model.
    assert.ok(
      r.after.some((a) => a.message.includes("'format'")),
      'format stays unresolved',
    );
    assert.doesNotMatch(r.text, /import \{ format \}/);
    // parse: money.ts and numbers.ts export it; report.ts already imports from money.ts.
    assert.match(r.text, /import \{ parse \} from '\.\/money\.js';/);
    assert.ok(!r.after.some((a) => a.message.includes("'parse'")));
  });

  it('leaves type errors and syntax errors alone (they need a model)', async () => {
    const r = await fixFile(basic, 'src/typeError.ts');
    assert.equal(r.text, r.before);
    assert.equal(r.fixes.length, 0);
    assert.equal(r.after.length, 2);
  });

  it('stops at the round bound', async () => {
    const bounded = new TsCodeFixer(registry, { maxRounds: 1, maxTries: 10 });
    const r = await fixFile(basic, 'src/missingImport.ts', bounded);
    assert.equal(r.fixes.length, 1);
    assert.equal(r.rounds, 1);
    assert.equal(r.after.length, 1);
  });

  it('stops at the try bound', async () => {
    const bounded = new TsCodeFixer(registry, { maxRounds: 10, maxTries: 0 });
    const r = await fixFile(basic, 'src/missingImport.ts', bounded);
    assert.equal(r.fixes.length, 0);
    assert.equal(r.text, r.before);
  });

  it('acts only inside the scope it is given', async () => {
    const scoped = fixer.withScope((_text, report) => report.line >= 6);
    const r = await fixFile(basic, 'src/mixed.ts', scoped);
    assert.match(r.text, /import \{ add, clamp \} from '\.\/math\.js';/);
    assert.deepEqual(
      r.after.map((a) => a.code),
      ['TS2304'],
    );
  });

  it('writes nothing to disk', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    await fixFile(dir, 'src/missingImport.ts');
    await fixFile(dir, 'src/counter.ts');
    assert.deepEqual(treeHash(dir), before);
  });

  it('keeps CRLF line endings when it inserts an import', async () => {
    const file = join(basic, 'src/missingImport.ts');
    const text = readFileSync(file, 'utf8').replace(/\n/g, '\r\n');
    const r = await fixer.fix({ file, text, projectDir: basic });
    assert.ok(
      r.text.startsWith("import { add, clamp } from './math.js';\r\n"),
      JSON.stringify(r.text.slice(0, 60)),
    );
    assert.ok(!/[^\r]\n/.test(r.text), 'no bare LF');
  });
});

describe('introducesNewError', () => {
  const rep = (code: string, message: string, line = 0): ValidationReport => ({
    file: '/x.ts',
    line,
    character: 0,
    endLine: line,
    endCharacter: 1,
    code,
    category: 'other',
    severity: 'error',
    message,
    tool: 'tsc',
  });
  it('compares by code and message as a multiset, not by position', () => {
    assert.equal(introducesNewError([rep('TS1', 'a', 1)], [rep('TS1', 'a', 9)]), false);
    assert.equal(introducesNewError([rep('TS1', 'a')], [rep('TS1', 'a'), rep('TS1', 'a')]), true);
    assert.equal(introducesNewError([rep('TS1', 'a')], [rep('TS2', 'a')]), true);
    assert.equal(introducesNewError([rep('TS1', 'a'), rep('TS2', 'b')], []), false);
  });
});
