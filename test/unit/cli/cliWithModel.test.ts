import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { copyFixture } from '../../support/fixtures';
import {
  replyStep,
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../../support/scriptedModelServer';

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, cwd });
  return { code, stdout, stderr };
}

describe('anneal CLI with an OpenAI-compatible server (scripted)', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  before(async () => {
    server = await startScriptedModelServer();
  });
  after(() => server.close());

  it('repair --provider openai-compatible --model … --apply writes the validated fix (exit 0)', async () => {
    const dir = copyFixture('ts-basic');
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: { old_string: '  return count;', new_string: '  return String(count);' },
      }),
    ]);
    const r = await cli(
      [
        'repair',
        'src/typeError.ts',
        '--symbol',
        'label',
        '--provider',
        'openai-compatible',
        '--base-url',
        server.openaiBaseUrl,
        '--model',
        'scripted-model',
        '--apply',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'src/typeError.ts'), 'utf8'), /return String\(count\);/);
    assert.match(r.stderr, /Applied to src\/typeError\.ts/);
  });

  it('generate --symbol NAME fills a stub through the model', async () => {
    const dir = copyFixture('ts-basic');
    writeFileSync(
      join(dir, 'src/gen.ts'),
      "/** Returns the largest value, or undefined for an empty list. */\nexport function largest(xs: number[]): number | undefined {\n  throw new Error('not implemented');\n}\n",
    );
    server.script([
      replyStep(
        'Sure:\n```typescript\nexport function largest(xs: number[]): number | undefined {\n  return xs.length === 0 ? undefined : Math.max(...xs);\n}\n```',
      ),
    ]);
    const r = await cli(
      [
        'generate',
        'src/gen.ts',
        '--symbol',
        'largest',
        '--provider',
        'openai-compatible',
        '--base-url',
        server.openaiBaseUrl,
        '--model',
        'scripted-model',
        '--json',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; diff: string };
    assert.equal(out.status, 'validated');
    assert.match(out.diff, /\+  return xs\.length === 0 \? undefined : Math\.max\(\.\.\.xs\);/);
  });

  it('exits 1 when errors remain after the model attempts, and --apply then writes nothing', async () => {
    const dir = copyFixture('ts-basic');
    const before = readFileSync(join(dir, 'src/typeError.ts'));
    server.script([replyStep('No idea.'), replyStep('Still no idea.')]);
    const r = await cli(
      [
        'repair',
        'src/typeError.ts',
        '--symbol',
        'label',
        '--provider',
        'openai-compatible',
        '--base-url',
        server.openaiBaseUrl,
        '--model',
        'scripted-model',
        '--max-attempts',
        '2',
        '--apply',
      ],
      dir,
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /errors? remain/);
    assert.deepEqual(readFileSync(join(dir, 'src/typeError.ts')), before);
  });

  it('an auth error says which key and where to set it, and never prints the key', async () => {
    const dir = copyFixture('ts-basic');
    const r = await cli(['repair', 'src/typeError.ts', '--provider', 'openai'], dir, { OPENAI_API_KEY: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /OPENAI_API_KEY/);
  });
});
