// Model faults the repair loop tests (test/unit/repair/repairLoop.test.ts) do not cover, through
// the real SDKs to the scripted model server. Every row: the run ends with a message that says
// what to do, and the fixture tree is byte-identical afterwards.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { AnnealError } from '../../../src/agent/annealError';
import { Engine } from '../../../src/agent/engine/engine';
import { createModelStage } from '../../../src/agent/engine/modelStage';
import { RunParams, type ParsedRunParams } from '../../../src/protocol/agentProtocol';
import type { Proposal } from '../../../src/protocol/proposal';
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

/** A port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('trust matrix: model faults (engine, scripted server, real SDKs)', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let engine: Engine;
  let dir: string;
  let snapshot: Record<string, string>;
  let firstRequest = 0;
  const requests = () => server.requests.slice(firstRequest);

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
    assert.deepEqual(treeHash(dir), snapshot, 'the fixture changed on disk');
  });

  function params(
    over: Partial<{
      provider: 'openai-compatible' | 'anthropic' | 'openai';
      baseUrl: string;
      maxAttempts: number;
      requestTimeoutMs: number;
    }> = {},
  ): ParsedRunParams {
    const provider = over.provider ?? 'openai-compatible';
    return RunParams.parse({
      runId: 'trust-model',
      goal: 'repair',
      file: join(dir, 'src/typeError.ts'),
      target: { kind: 'symbol', name: 'label' },
      workspaceRoot: dir,
      settings: {
        provider,
        model: 'scripted-model',
        baseUrl: over.baseUrl ?? (provider === 'anthropic' ? server.baseUrl : server.openaiBaseUrl),
        maxAttempts: over.maxAttempts ?? 3,
        ...(over.requestTimeoutMs ? { requestTimeoutMs: over.requestTimeoutMs } : {}),
      },
      apiKeys: { anthropic: 'sk-ant-trust-key-0000', openai: 'sk-trust-key-00000000' },
    });
  }

  async function failure(p: ParsedRunParams): Promise<AnnealError> {
    try {
      await engine.run(p);
    } catch (e) {
      assert.ok(AnnealError.is(e), `not an AnnealError: ${String(e)}`);
      return e;
    }
    assert.fail('the run succeeded, but it should have failed');
  }

  function unchanged(p: Proposal): void {
    assert.equal(p.newText, p.baseText);
    assert.notEqual(p.verdict, 'validated');
  }

  it('429 without Retry-After: backs off and succeeds', async () => {
    server.script([errorStep(429), errorStep(429), toolCallStep(FIX_LABEL)]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.equal(requests().length, 3);
  });

  it('429 that never ends: `rateLimited`, saying to wait or lower concurrency', async () => {
    server.script([errorStep(429), errorStep(429), errorStep(429), errorStep(429)]);
    const e = await failure(params());
    assert.equal(e.reason, 'rateLimited');
    assert.match(e.message, /rate-limiting.*after 3 retries.*Wait a minute and try again/s);
  });

  it('502, 503 and 529 are retried, through both wire formats', async () => {
    server.script([errorStep(502), errorStep(503), toolCallStep(FIX_LABEL)]);
    assert.equal((await engine.run(params())).verdict, 'validated');
    server.script([errorStep(529), errorStep(503), toolCallStep(FIX_LABEL)]);
    assert.equal((await engine.run(params({ provider: 'anthropic' }))).verdict, 'validated');
    assert.equal(requests().length, 6);
  });

  it('503 every time: `unavailable`, naming the server and what to check', async () => {
    server.script([errorStep(503), errorStep(503), errorStep(503), errorStep(503)]);
    const e = await failure(params());
    assert.equal(e.reason, 'unavailable');
    assert.ok(e.message.includes(server.openaiBaseUrl));
    assert.match(e.message, /HTTP 503.*Check that the base URL/s);
  });

  it('connection refused: `unavailable`, "connection refused", with the base URL to check', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const e = await failure(params({ baseUrl: url }));
    assert.equal(e.reason, 'unavailable');
    assert.match(e.message, /connection refused/);
    assert.ok(e.message.includes(url));
    assert.match(e.message, /server is running/);
  });

  it('DNS failure for the base URL: `unavailable`, "host not found"', async () => {
    const url = 'http://anneal-trust-matrix.invalid/v1';
    const e = await failure(params({ baseUrl: url }));
    assert.equal(e.reason, 'unavailable');
    assert.match(e.message, /host not found/);
    assert.ok(e.message.includes(url));
  });

  it('timeout before the first byte: `timeout`, with the limit and how to raise it', async () => {
    server.script([{ ...toolCallStep(FIX_LABEL), delayMs: 10_000 }]);
    const t0 = Date.now();
    const e = await failure(params({ requestTimeoutMs: 1000 }));
    assert.ok(Date.now() - t0 < 8000);
    assert.equal(e.reason, 'timeout');
    assert.match(e.message, /did not answer within 1 s.*raise the request timeout/s);
  });

  it('timeout mid-stream (a stream that stalls): `timeout`', async () => {
    server.script([{ ...replyStep('thinking about it, slowly'), stallAfterChunks: 3, stallMs: 10_000 }]);
    const t0 = Date.now();
    const e = await failure(params({ requestTimeoutMs: 1000 }));
    assert.ok(Date.now() - t0 < 8000);
    assert.equal(e.reason, 'timeout');
  });

  it('a fault after a first attempt keeps the best candidate and says the call failed', async () => {
    server.script([
      replyStep('Let me think.'),
      errorStep(500),
      errorStep(500),
      errorStep(500),
      errorStep(500),
    ]);
    const p = await engine.run(params());
    unchanged(p);
    assert.equal(p.verdict, 'errors_remain');
    assert.match(p.runLog.message, /Stopped: the model call failed \(Could not get an answer/);
  });

  it('old_string that occurs more than once: the model is told the lines, then succeeds', async () => {
    server.script([
      toolCallStep({ name: 'patch_file', arguments: { old_string: 'return', new_string: 'return 1 +' } }),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.match(p.runLog.attempts[0]!.edits[0]!.error ?? '', /occurs 2 times \(lines 2, 7\)/);
    assert.match(requests()[1]!.text, /include more surrounding lines/);
  });

  it('an empty old_string is refused with a pointer to write_file', async () => {
    server.script([
      toolCallStep({ name: 'patch_file', arguments: { old_string: '', new_string: 'x' } }),
      toolCallStep(FIX_LABEL),
    ]);
    const p = await engine.run(params());
    assert.equal(p.verdict, 'validated');
    assert.match(p.runLog.attempts[0]!.edits[0]!.error ?? '', /must not be empty.*write_file/);
  });

  it('a reply in the wrong language (a Python block for a TypeScript file) changes nothing', async () => {
    const python = 'Here you go:\n```python\ndef label(count):\n    return str(count)\n```\n';
    server.script([replyStep(python), replyStep(python)]);
    const p = await engine.run(params({ maxAttempts: 2 }));
    unchanged(p);
    assert.ok(p.runLog.attempts.every((a) => a.edits.every((e) => !e.applied)));
    assert.doesNotMatch(p.newText, /def label/);
    assert.match(p.runLog.message, /errors? remain/);
  });

  it('a 2 MB reply (a text block, or a write_file of 2 MB) is refused unread; its tokens stop the run', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const replies = [
      replyStep(`\`\`\`ts\n${huge}\n\`\`\``, { textChunkSize: 64 * 1024 }),
      toolCallStep({ name: 'write_file', arguments: { content: huge } }, { argsChunkSize: 64 * 1024 }),
    ];
    for (const reply of replies) {
      server.script([reply]);
      const p = await engine.run(params({ maxAttempts: 3 }));
      unchanged(p);
      assert.equal(p.runLog.attempts.length, 1);
      assert.match(
        p.runLog.attempts[0]!.edits[0]!.error ?? '',
        /far larger than the file; it was not applied/,
      );
      assert.match(p.runLog.message, /token budget/);
      assert.ok(p.newText.length < 1000);
    }
  });

  it('prose only, every attempt: bounded by maxAttempts, the file as it was', async () => {
    server.fallback((req) =>
      replyStep(`The function should return a string (${req.index}). Consider converting it.`),
    );
    try {
      const p = await engine.run(params({ maxAttempts: 4 }));
      unchanged(p);
      assert.equal(p.runLog.attempts.length, 4);
      assert.match(p.runLog.message, /Stopped after 4 attempts \(the maximum\)/);
    } finally {
      server.fallback(undefined);
    }
  });
});
