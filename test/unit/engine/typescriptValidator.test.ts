import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TsProjectRegistry } from '../../../src/agent/validators/typescript/tsProjectRegistry';
import { TypeScriptValidator } from '../../../src/agent/validators/typescript/typescriptValidator';
import { AnnealError } from '../../../src/agent/annealError';
import { copyFixture, FIXTURES, treeHash } from '../../support/fixtures';
import { runTsc } from '../../support/tsc';

describe('TypeScriptValidator', () => {
  const registry = new TsProjectRegistry();
  const validator = new TypeScriptValidator(registry);
  const parity = new TypeScriptValidator(registry, { tscParity: true });
  after(() => registry.clear());

  for (const fixture of ['ts-basic', 'ts-ambiguous', 'ts-syntax']) {
    it(`reports exactly what tsc --noEmit -p reports, file by file (${fixture})`, async () => {
      const dir = join(FIXTURES, fixture);
      const expected = runTsc(dir);
      assert.ok(expected.length > 0, 'the fixture has errors for tsc to report');
      const files = readdirSync(join(dir, 'src')).map((f) => join(dir, 'src', f));
      for (const file of files) {
        const reports = await parity.validate({ file, text: readFileSync(file, 'utf8'), projectDir: dir });
        const got = reports.map((r) => `${r.line + 1}:${r.character + 1} ${r.code} ${r.message}`);
        const want = expected
          .filter((d) => d.file === file)
          .map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
        assert.deepEqual(got, want, file);
      }
    });
  }

  it('checks overlay text in memory and leaves the tree untouched', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const file = join(dir, 'src', 'clean.ts');
    const reports = await validator.validate({
      file,
      text: 'export const n: number = "x";\n',
      projectDir: dir,
    });
    assert.deepEqual(
      reports.map((r) => [r.code, r.category, r.line, r.tool]),
      [['TS2322', 'type_mismatch', 0, 'tsc']],
    );
    assert.deepEqual(treeHash(dir), before);
    const again = await validator.validate({ file, text: readFileSync(file, 'utf8'), projectDir: dir });
    assert.deepEqual(again, []);
  });

  it('sees an edit in one file from another file of the project (cross-file overlay)', async () => {
    const dir = copyFixture('ts-basic');
    const math = join(dir, 'src', 'math.ts');
    const clean = join(dir, 'src', 'clean.ts');
    const project = registry.projectFor(clean, dir);
    project.setOverlay(math, 'export function add(a: string): string { return a; }\n');
    const reports = await validator.validate({
      file: clean,
      text: readFileSync(clean, 'utf8'),
      projectDir: dir,
    });
    assert.ok(
      reports.some((r) => r.code === 'TS2554' || r.code === 'TS2345'),
      JSON.stringify(reports),
    );
    project.clearOverlay(math);
  });

  it('classifies missing names as missing_import only when an import exists', async () => {
    const file = join(FIXTURES, 'ts-basic', 'src', 'mixed.ts');
    const reports = await validator.validate({
      file,
      text: readFileSync(file, 'utf8'),
      projectDir: join(FIXTURES, 'ts-basic'),
    });
    const byName = Object.fromEntries(reports.map((r) => [r.message.match(/'(\w+)'/)?.[1], r.category]));
    assert.equal(byName.add, 'missing_import');
    assert.equal(byName.undefinedHelper, 'undefined_name');
  });

  it('reports syntax errors only, as tsc does, when the file does not parse', async () => {
    const file = join(FIXTURES, 'ts-syntax', 'src', 'syntaxError.ts');
    const reports = await validator.validate({
      file,
      text: readFileSync(file, 'utf8'),
      projectDir: join(FIXTURES, 'ts-syntax'),
    });
    assert.ok(reports.length > 0);
    assert.ok(reports.every((r) => r.category === 'syntax' && /^TS1\d{3}$/.test(r.code)));
  });

  it('still type-checks a file when another file fails to parse (engine mode, unlike tsc)', async () => {
    const dir = join(FIXTURES, 'ts-syntax');
    const file = join(dir, 'src', 'typeError.ts');
    const text = readFileSync(file, 'utf8');
    assert.deepEqual((await parity.validate({ file, text, projectDir: dir })).length, 0);
    assert.deepEqual(
      (await validator.validate({ file, text, projectDir: dir })).map((r) => r.code),
      ['TS2322', 'TS2322'],
    );
  });

  it('checks a file in no project with strict inferred options', async () => {
    const dir = copyFixture('no-project');
    const file = join(dir, 'lonely.ts');
    const reports = await validator.validate({ file, text: readFileSync(file, 'utf8'), projectDir: dir });
    assert.deepEqual(
      reports.map((r) => r.code),
      ['TS2322'],
    );
  });

  it('refuses a tsconfig.json that is not valid JSON with a clear message', async () => {
    const dir = copyFixture('ts-badconfig');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": ');
    const reg = new TsProjectRegistry();
    await assert.rejects(
      () =>
        new TypeScriptValidator(reg).validate({
          file: join(dir, 'src', 'a.ts'),
          text: 'export {};',
          projectDir: dir,
        }),
      (e: unknown) => AnnealError.is(e, 'badInput') && /tsconfig\.json/.test(e.message),
    );
  });

  it('keeps at most maxProjects warm projects (LRU)', () => {
    const reg = new TsProjectRegistry(2);
    for (const name of ['ts-basic', 'ts-ambiguous', 'no-project']) {
      const dir = copyFixture(name);
      const file = readdirSync(dir).includes('src')
        ? join(dir, 'src', readdirSync(join(dir, 'src'))[0]!)
        : join(dir, 'lonely.ts');
      reg.projectFor(file, dir);
    }
    assert.equal(reg.size, 2);
    reg.clear();
  });
});
