import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../src/agent/engine/engine';
import { createModelStage } from '../../../src/agent/engine/modelStage';
import { AnnealError } from '../../../src/agent/annealError';
import { RunParams, type ParsedRunParams } from '../../../src/protocol/agentProtocol';
import { copyFixture, treeHash } from '../../support/fixtures';
import {
  errorStep,
  replyStep,
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../../support/scriptedModelServer';

const FIX_LABEL = {
  name: 'patch_file',
  arguments: { old_string: '  return count;', new_string: '  return String(count);' },
};

describe('repair loop (scripted model server, real SDKs)', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let engine: Engine;
  let dir: string;
  let firstRequest = 0;
  const requests = () => server.requests.slice(firstRequest);
  let snapshot: Record<string, string>;

  before(async () => {
    server = await startScriptedModelServer();
    engine = new Engine({ modelStage: createModelStage({ retry: { delayScale: 0.001 }, env: {} }) });
  });
  after(async () => {
    engine.dispose();
    await server.close();
  });
  beforeEach(() => {
    dir = copyFixture('ts-basic');
    snapshot = treeHash(dir);
    server.script([]);
    firstRequest = server.requests.length;
  });
  afterEach(() => {
    // No byte written to disk, whatever the outcome.
    assert.deepEqual(treeHash(dir), snapshot);
  });

  function params(
    over: Partial<{
      provider: 'openai-compatible' | 'anthropic' | 'openai';
      maxAttempts: number;
      symbol: string;
      file: string;
      tokenBudget: number;
      goal: 'repair' | 'generate';
      candidates: number;
    }> = {},
  ): ParsedRunParams {
    return RunParams.parse({
      runId: 'r1',
      goal: over.goal ?? 'repair',
      file: join(dir, over.file ?? 'src/typeError.ts'),
      target: { kind: 'symbol', name: over.symbol ?? 'label' },
      workspaceRoot: dir,
      settings: {
        provider: over.provider ?? 'openai-compatible',
        model: 'scripted-model',
        baseUrl: over.provider === 'anthropic' ? server.baseUrl : server.openaiBaseUrl,
        maxAttempts: over.maxAttempts ?? 3,
        tokenBudget: over.tokenBudget ?? 60_000,
        candidates: over.candidates ?? 1,
      },
      apiKeys: { anthropic: 'sk-ant-test-key-123456', openai: 'sk-test-key-123456' },
    });
  }

  it('repairs on attempt 2 after a patch that does not match, and tells the model the nearest lines', async () => {
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: { old_string: '  return count ;', new_string: '  return `${count}`;' },
      }),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.match(p.newText, /return String\(count\);/);
    const log = p.runLog;
    assert.equal(log.attempts.length, 2);
    assert.deepEqual(
      log.attempts.map((a) => [a.errorsIn, a.errorsOut, a.success, a.rejected ?? '']),
      [
        [1, 1, false, 'no edit applied'],
        [1, 0, true, ''],
      ],
    );
    assert.equal(log.summary.errorsBefore, 1);
    assert.equal(log.summary.repairAttempts, 2);
    assert.equal(log.summary.repairSuccessRate, 0.5);
    assert.ok(log.summary.repairTokens.input > 0 && log.summary.repairTokens.output > 0);
    const second = requests()[1]!.text;
    assert.match(second, /old_string was not found/);
    assert.match(second, /2: {3}return count;/);
  });

  it('works the same through the Anthropic wire format', async () => {
    server.script([toolCallStep(FIX_LABEL)]);
    const p = await engine.run(params({ provider: 'anthropic' }));
    assert.equal(p.verdict, 'validated');
    assert.equal(requests()[0]!.format, 'anthropic');
    assert.equal(p.runLog.provider, 'anthropic');
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    server.script([errorStep(429, { retryAfter: 1 }), toolCallStep(FIX_LABEL)]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.equal(requests().length, 2);
    assert.equal(p.runLog.attempts.length, 1);
  });

  it('fails with reason unavailable after 500s up to the retry bound', async () => {
    server.script([errorStep(500), errorStep(500), errorStep(500), errorStep(500)]);
    await assert.rejects(
      () => engine.run(params()),
      (e: unknown) => AnnealError.is(e, 'unavailable') && /500|server/i.test(e.message),
    );
    assert.equal(requests().length, 4);
  });

  it('recovers from a stream cut mid-way by retrying the call', async () => {
    server.script([
      { ...toolCallStep(FIX_LABEL), cutAfterChunks: 'midToolArguments' },
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.equal(requests().length, 2);
  });

  it('answers malformed tool arguments with an error the model can act on', async () => {
    server.script([
      toolCallStep({ name: 'patch_file', arguments: '{"old_string": "  return count;", ' }),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.equal(p.runLog.attempts[0]!.edits[0]!.applied, false);
    assert.match(requests()[1]!.text, /not valid JSON/);
  });

  it('refuses a tool call with a path argument and an unknown tool', async () => {
    server.script([
      toolCallStep([
        { name: 'patch_file', arguments: { path: '/etc/passwd', old_string: 'root', new_string: 'x' } },
        { name: 'run_shell', arguments: { command: 'rm -rf /' } },
      ]),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    const errors = p.runLog.attempts[0]!.edits.map((e) => e.error ?? '');
    assert.match(errors[0]!, /takes no path/);
    assert.match(errors[1]!, /no tool named 'run_shell'/);
  });

  it('rejects an over-cap rewrite and asks to preserve code', async () => {
    const file = join(dir, 'src/typeError.ts');
    const original = readFileSync(file, 'utf8');
    const rewritten = original.replace(
      '  return count;',
      Array.from({ length: 12 }, (_, i) => `  const v${i} = ${i};`).join('\n') + '\n  return String(count);',
    );
    server.script([
      toolCallStep({ name: 'write_file', arguments: { content: rewritten } }),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.match(p.runLog.attempts[0]!.rejected ?? '', /more than the cap/);
    assert.match(requests()[1]!.text, /preserve/);
    assert.doesNotMatch(p.newText, /const v0/);
  });

  it('rejects elision placeholders', async () => {
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: {
          old_string: '  return count;',
          new_string: '  // ... rest of code\n  return String(count);',
        },
      }),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.match(p.runLog.attempts[0]!.rejected ?? '', /placeholders/);
  });

  it('treats an empty reply as an attempt with no edit', async () => {
    server.script([replyStep(''), toolCallStep(FIX_LABEL)]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.equal(p.runLog.attempts[0]!.rejected, 'empty reply');
  });

  it('stops after maxAttempts with the best candidate and says so', async () => {
    server.script([replyStep('I cannot help with that.'), replyStep('Still thinking.')]);
    const p = await engine.run(params({ maxAttempts: 2 }));
    assert.equal(p.verdict, 'errors_remain');
    assert.equal(p.runLog.attempts.length, 2);
    assert.match(p.runLog.message, /1 errors? remain.*Stopped after 2 attempts \(the maximum\)/);
    assert.equal(p.newText, p.baseText);
    assert.equal(p.runLog.budget.attemptsUsed, 2);
    assert.equal(p.runLog.budget.maxAttempts, 2);
  });

  it('stops when the model repeats the same wrong patch', async () => {
    const wrong = toolCallStep({
      name: 'patch_file',
      arguments: { old_string: '  return count;', new_string: '  return count as number;' },
    });
    server.script([wrong, { ...wrong }, { ...wrong }, { ...wrong }, { ...wrong }]);
    const p = await engine.run(params({ maxAttempts: 5 }));
    assert.equal(p.verdict, 'errors_remain');
    assert.ok(p.runLog.attempts.length <= 3, `${p.runLog.attempts.length} attempts`);
    assert.match(p.runLog.message, /repeated the same change/);
  });

  it('stops when the token budget is used up', async () => {
    server.script([{ ...replyStep('no'), usage: { input: 5000, output: 10 } }, replyStep('no')]);
    const p = await engine.run(params({ tokenBudget: 4000, maxAttempts: 3 }));
    assert.equal(p.runLog.attempts.length, 1);
    assert.match(p.runLog.message, /token budget/);
  });

  it('cancels mid-call quickly', async () => {
    server.script([{ ...toolCallStep(FIX_LABEL), delayMs: 10_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const t0 = Date.now();
    await assert.rejects(
      () => engine.run(params(), { signal: controller.signal }),
      (e: unknown) => AnnealError.is(e, 'cancelled'),
    );
    assert.ok(Date.now() - t0 < 5000);
  });

  it('parses a fenced whole-function reply (prose around it) and replaces the function by the syntax tree', async () => {
    server.script([
      replyStep(
        'Here is the fix:\n\n```ts\nexport function label(count: number): string {\n  return String(count);\n}\n```\n\nThis converts the number.',
      ),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.match(p.newText, /export function pick/);
  });

  it('ignores errors outside the target: they never make the loop spin', async () => {
    server.script([toolCallStep(FIX_LABEL)]);
    const p = await engine.run(params());
    // pick() still has its own type error; the target is label(), so the run is validated in one attempt.
    assert.equal(p.verdict, 'validated');
    assert.equal(p.runLog.attempts.length, 1);
    assert.match(p.newText, /const item: number = list\[index\] \?\? '';/);
  });

  it('repairs a logic bug the validators cannot see when the user gives an instruction', async () => {
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: { old_string: '  return a + b;', new_string: '  return a + b;' },
      }),
      toolCallStep({
        name: 'patch_file',
        arguments: {
          old_string: 'return Math.min(max, Math.max(min, value));',
          new_string: 'return Math.max(min, Math.min(max, value));',
        },
      }),
    ]);
    const p = RunParams.parse({
      ...params({ file: 'src/math.ts', symbol: 'clamp' }),
      instruction: 'clamp returns max when min > max; make min win',
    });
    const proposal = await engine.run(p);
    assert.equal(proposal.verdict, 'validated');
    assert.match(proposal.newText, /Math\.max\(min, Math\.min\(max, value\)\)/);
    assert.deepEqual(
      proposal.runLog.attempts.map((a) => [a.success, a.rejected ?? '']),
      [
        [false, 'the edit changed nothing'],
        [true, ''],
      ],
    );
    assert.match(requests()[0]!.text, /make min win/);
  });

  it('generates a stub body (best of N; first pass wins)', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dir, 'src/gen.ts'),
      "/** Sum of the squares of xs. */\nexport function sumSquares(xs: number[]): number {\n  throw new Error('not implemented');\n}\n",
    );
    snapshot = treeHash(dir);
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: {
          old_string: "  throw new Error('not implemented');",
          new_string: '  return xs.reduce((s, x) => s + x * x, 0);',
        },
      }),
      toolCallStep({
        name: 'patch_file',
        arguments: {
          old_string: "  throw new Error('not implemented');",
          new_string: '  return xs.reduce((s, x) => s + x * x, 0);',
        },
      }),
    ]);
    const p = await engine.run(
      params({ goal: 'generate', symbol: 'sumSquares', file: 'src/gen.ts', candidates: 2 }),
    );
    assert.equal(p.verdict, 'validated');
    assert.match(p.newText, /return xs\.reduce/);
    assert.deepEqual(
      p.runLog.steps.map((s) => s.name).filter((n) => n !== 'Re-validate'),
      ['Read target', 'Validate', 'Choose model', 'Gather context', 'Spec', 'Generate 2 candidates'],
    );
    assert.match(requests()[0]!.text, /Sum of the squares of xs/);
  });
});
