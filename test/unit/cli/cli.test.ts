import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { copyFixture } from '../../support/fixtures';

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    // No keys and no reachable local server: the zero-token engine alone.
    env: { ANNEAL_BASE_URL: 'http://127.0.0.1:9/v1', ...env },
    cwd,
  });
  return { code, stdout, stderr };
}

describe('anneal CLI', () => {
  describe('check', () => {
    it('prints diagnostics as JSON with 1-based positions and exits 1 on errors', async () => {
      const dir = copyFixture('ts-basic');
      const r = await cli(['check', 'src/typeError.ts', 'src/clean.ts', '--json'], dir);
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as {
        files: { file: string; diagnostics: Record<string, unknown>[] }[];
      };
      assert.equal(out.files.length, 2);
      assert.deepEqual(out.files[0]!.diagnostics[0], {
        line: 2,
        column: 3,
        code: 'TS2322',
        category: 'type_mismatch',
        message: "Type 'number' is not assignable to type 'string'.",
        tool: 'tsc',
      });
      assert.deepEqual(out.files[1]!.diagnostics, []);
    });

    it('exits 0 on a clean file and prints a human summary', async () => {
      const dir = copyFixture('ts-basic');
      const r = await cli(['check', 'src/clean.ts'], dir);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /No problems in 1 file/);
    });

    it('reports tsconfig.json problems as tsc does', async () => {
      const dir = copyFixture('ts-badconfig');
      const r = await cli(['check', 'src/a.ts', '--json'], dir);
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as { files: { file: string; diagnostics: { code: string }[] }[] };
      assert.ok(
        out.files.some(
          (f) => f.file.endsWith('tsconfig.json') && f.diagnostics.some((d) => d.code === 'TS5023'),
        ),
      );
      assert.ok(
        out.files.some((f) => f.file.endsWith('a.ts') && f.diagnostics.some((d) => d.code === 'TS2322')),
      );
    });

    it('exits 2 on a missing file, a binary file, and a file outside --project', async () => {
      const dir = copyFixture('ts-basic');
      const missing = await cli(['check', 'src/nope.ts'], dir);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /does not exist/);
      writeFileSync(join(dir, 'src', 'blob.ts'), Buffer.from([0x65, 0x00, 0x01, 0x02]));
      const binary = await cli(['check', 'src/blob.ts'], dir);
      assert.equal(binary.code, 2);
      assert.match(binary.stderr, /binary/);
      const other = copyFixture('no-project');
      const outside = await cli(['check', join(other, 'lonely.ts'), '--project', dir], dir);
      assert.equal(outside.code, 2);
      assert.match(outside.stderr, /outside the workspace/);
    });

    it('checks a file in no project with default options', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'anneal-lonely-'));
      writeFileSync(join(dir, 'lonely.ts'), 'export const x: string = 1;\n');
      const r = await cli(['check', 'lonely.ts', '--json'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /TS2322/);
    });
  });

  describe('repair', () => {
    it('prints the validated diff and leaves the file untouched by default (exit 0)', async () => {
      const dir = copyFixture('ts-basic');
      const file = join(dir, 'src', 'missingImport.ts');
      const before = readFileSync(file);
      const r = await cli(['repair', 'src/missingImport.ts', '--provider', 'none'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\+import \{ add, clamp \} from '\.\/math\.js';$/m);
      assert.match(r.stderr, /Validated: 2 zero-token fixes, no model call/);
      assert.deepEqual(readFileSync(file), before);
    });

    it('--apply writes atomically and leaves no temporary file', async () => {
      const dir = copyFixture('ts-basic');
      const file = join(dir, 'src', 'counter.ts');
      const r = await cli(['repair', 'src/counter.ts', '--provider', 'none', '--apply'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(readFileSync(file, 'utf8'), /this\.count \+= 1;/);
      assert.deepEqual(
        readdirSync(join(dir, 'src')).filter((f) => f.includes('anneal')),
        [],
      );
      const check = await cli(['check', 'src/counter.ts'], dir);
      assert.equal(check.code, 0);
    });

    it('exits 3 and leaves the file byte for byte when the errors need a model and none is configured', async () => {
      const dir = copyFixture('ts-basic');
      const file = join(dir, 'src', 'typeError.ts');
      const before = readFileSync(file);
      for (const provider of ['none', 'auto']) {
        const r = await cli(['repair', 'src/typeError.ts', '--provider', provider, '--apply'], dir, {
          OPENAI_API_KEY: '',
          ANTHROPIC_API_KEY: '',
        });
        assert.equal(r.code, 3, `${provider}: ${r.stderr}`);
        assert.match(r.stderr, /need a model/);
        assert.deepEqual(readFileSync(file), before);
      }
    });

    it('--json prints status, error counts, fixes, diff and the run log', async () => {
      const dir = copyFixture('ts-basic');
      const r = await cli(['repair', 'src/spelling.ts', '--provider', 'none', '--json'], dir);
      assert.equal(r.code, 0);
      const out = JSON.parse(r.stdout) as Record<string, unknown> & {
        runLog: { steps: { name: string; durationMs: number }[]; summary: { errorsBefore: number } };
      };
      assert.equal(out.status, 'validated');
      assert.equal(out.errorsBefore, 1);
      assert.equal(out.errorsAfter, 0);
      assert.equal((out.fixes as { fixName: string }[])[0]?.fixName, 'spelling');
      assert.match(
        out.diff as string,
        /- {2}return clamp\(ratoi, 0, 1\);\n\+ {2}return clamp\(ratio, 0, 1\);/,
      );
      assert.deepEqual(
        out.runLog.steps.map((s) => s.name),
        ['Read target', 'Validate', 'Zero-token fixes', 'Re-validate'],
      );
      assert.ok(out.runLog.steps.every((s) => typeof s.durationMs === 'number'));
    });

    it('--symbol repairs the function and ignores errors elsewhere in the file (exit 0)', async () => {
      const dir = copyFixture('ts-basic');
      const r = await cli(
        ['repair', 'src/mixed.ts', '--symbol', 'target', '--provider', 'none', '--json'],
        dir,
      );
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { diff: string; errorsAfter: number };
      assert.match(out.diff, /\+import \{ add, clamp \} from '\.\/math\.js';/);
      assert.doesNotMatch(out.diff, /undefinedHelper\(\)\n\+/);
    });

    it('a --range target with an error no compiler fix can remove exits 3', async () => {
      const dir = copyFixture('ts-basic');
      const r = await cli(['repair', 'src/mixed.ts', '--range', '3:5', '--provider', 'none'], dir);
      assert.equal(r.code, 3);
    });

    it('writes the run log as JSON and Markdown', async () => {
      const dir = copyFixture('ts-basic');
      const r = await cli(
        ['repair', 'src/counter.ts', '--provider', 'none', '--log-json', 'log.json', '--log-md', 'log.md'],
        dir,
      );
      assert.equal(r.code, 0);
      const log = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8')) as {
        summary: { zeroTokenFixes: number };
      };
      assert.equal(log.summary.zeroTokenFixes, 1);
      assert.match(readFileSync(join(dir, 'log.md'), 'utf8'), /## Zero-token fixes/);
    });

    it('refuses bad usage with exit 2', async () => {
      const dir = copyFixture('ts-basic');
      assert.equal((await cli(['repair'], dir)).code, 2);
      assert.equal((await cli(['repair', 'src/counter.ts', '--apply', '--diff'], dir)).code, 2);
      assert.equal((await cli(['repair', 'src/counter.ts', '--range', 'x'], dir)).code, 2);
      assert.equal((await cli(['repair', 'src/counter.ts', '--provider', 'magic'], dir)).code, 2);
      const nosym = await cli(['repair', 'src/counter.ts', '--symbol', 'nope'], dir);
      assert.equal(nosym.code, 2);
      assert.match(nosym.stderr, /No function named 'nope'.*Counter\.increment/s);
      assert.equal((await cli(['frobnicate'], dir)).code, 2);
    });

    it('refuses a symlink that points outside the project (exit 2)', async () => {
      const dir = copyFixture('ts-basic');
      const outside = mkdtempSync(join(tmpdir(), 'anneal-outside-'));
      writeFileSync(join(outside, 'secret.ts'), 'export const s: number = "x";\n');
      symlinkSync(join(outside, 'secret.ts'), join(dir, 'src', 'link.ts'));
      const r = await cli(['repair', 'src/link.ts', '--provider', 'none', '--apply'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /outside the workspace/);
      assert.equal(readFileSync(join(outside, 'secret.ts'), 'utf8'), 'export const s: number = "x";\n');
    });

    it('refuses to --apply over a read-only file and leaves it as it was', async () => {
      const dir = copyFixture('ts-basic');
      const file = join(dir, 'src', 'counter.ts');
      const before = readFileSync(file);
      chmodSync(file, 0o444);
      const r = await cli(['repair', 'src/counter.ts', '--provider', 'none', '--apply'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /read-only/);
      assert.deepEqual(readFileSync(file), before);
    });

    it('preserves a BOM and CRLF line endings', async () => {
      const dir = copyFixture('ts-basic');
      const file = join(dir, 'src', 'counter.ts');
      writeFileSync(file, `\ufeff${readFileSync(file, 'utf8').replace(/\n/g, '\r\n')}`);
      const r = await cli(['repair', 'src/counter.ts', '--provider', 'none', '--apply'], dir);
      assert.equal(r.code, 0, r.stderr);
      const after = readFileSync(file, 'utf8');
      assert.ok(after.startsWith('\ufeff'));
      assert.ok(after.includes('    this.count += 1;\r\n'));
      assert.ok(!/[^\r]\n/.test(after));
    });
  });
});
