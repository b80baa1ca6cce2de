// A planted API key goes through auth failures, rate limits, server errors that echo it, a good
// run and a killed host; then everything a user or a log could see is searched for it: the run
// log (JSON and Markdown), CLI stdout and stderr, every agent notification (agent/log,
// run/didStep, run/didUpdateLog), the host's stderr, error messages, hints, stacks and causes.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError } from '../../../src/agent/annealError';
import { Engine } from '../../../src/agent/engine/engine';
import { createModelStage } from '../../../src/agent/engine/modelStage';
import { runCli } from '../../../src/cli/main';
import { RunParams, type RunParams as RunParamsInput } from '../../../src/protocol/agentProtocol';
import type { Proposal } from '../../../src/protocol/proposal';
import { copyFixture, treeHash } from '../../support/fixtures';
import {
  errorStep,
  replyStep,
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../../support/scriptedModelServer';
import { rejection, startAgentHost, waitUntil } from './agentHost';

const SECRET = randomBytes(12).toString('hex');
const ANTHROPIC_KEY = `sk-ant-PLANTED-${SECRET}`;
const OPENAI_KEY = `sk-PLANTED${SECRET}`;

const FIX_LABEL = toolCallStep({
  name: 'patch_file',
  arguments: { old_string: '  return count;', new_string: '  return String(count);' },
});

/** Server answers that echo the key back, as real services do in their error messages. */
function echoing(): ReturnType<typeof errorStep>[] {
  return [
    errorStep(401, {
      message: `invalid x-api-key: ${ANTHROPIC_KEY} / Incorrect API key provided: ${OPENAI_KEY}`,
    }),
  ];
}
function rateLimits(): ReturnType<typeof errorStep>[] {
  return Array.from({ length: 4 }, () =>
    errorStep(429, { retryAfter: 0, message: `Rate limit reached for key ${ANTHROPIC_KEY} ${OPENAI_KEY}` }),
  );
}
function streamErrors() {
  return Array.from({ length: 4 }, () => ({
    ...replyStep('partial answer'),
    streamError: { afterChunks: 2, message: `overloaded (key ${ANTHROPIC_KEY} ${OPENAI_KEY})` },
  }));
}

/** Asserts the planted key, or any long part of it, is nowhere in `text`. */
function assertClean(where: string, text: string): void {
  assert.ok(!text.includes(SECRET), `${where} contains the planted key`);
  assert.ok(!text.includes(SECRET.slice(0, 12)), `${where} contains part of the planted key`);
}

function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof Error) {
      parts.push(cur.message, cur.stack ?? '', String((cur as { hint?: unknown }).hint ?? ''));
      parts.push(JSON.stringify(cur));
      cur = cur.cause;
    } else {
      parts.push(JSON.stringify(cur) ?? String(cur));
      cur = undefined;
    }
  }
  return parts.join('\n');
}

describe('trust matrix: API keys never leak', function () {
  this.timeout(120_000);
  let server: ScriptedModelServer;
  before(async () => {
    server = await startScriptedModelServer();
  });
  after(() => server.close());
  afterEach(() => server.script([]));

  it('engine: errors, hints, stacks, causes and run logs hold no key (auth, 429, stream errors, success)', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const logs: string[] = [];
    const engine = new Engine({ modelStage: createModelStage({ retry: { delayScale: 0.001 }, env: {} }) });
    try {
      for (const provider of ['anthropic', 'openai'] as const) {
        const params = RunParams.parse({
          runId: `secret-${provider}`,
          goal: 'repair',
          file: join(dir, 'src/typeError.ts'),
          target: { kind: 'symbol', name: 'label' },
          workspaceRoot: dir,
          settings: {
            provider,
            model: 'scripted-model',
            baseUrl: provider === 'anthropic' ? server.baseUrl : server.openaiBaseUrl,
          },
          apiKeys: { anthropic: ANTHROPIC_KEY, openai: OPENAI_KEY },
        });
        const hooks = {
          onStep: (s: unknown) => logs.push(JSON.stringify(s)),
          onLog: (l: unknown) => logs.push(JSON.stringify(l)),
          log: (_level: string, m: string) => logs.push(m),
        };
        for (const script of [echoing(), rateLimits(), streamErrors()]) {
          server.script(script);
          const first = server.requests.length;
          let thrown: unknown;
          try {
            await engine.run(params, hooks);
          } catch (e) {
            thrown = e;
          }
          assert.ok(AnnealError.is(thrown), String(thrown));
          assertClean(`${provider} ${thrown.reason} error`, errorText(thrown));
          // The key was really in use: it went to the server, in its header.
          const sentHeaders = JSON.stringify(server.requests[first]?.headers);
          assert.ok(sentHeaders.includes(SECRET), 'the key never reached the server');
        }
        server.script([FIX_LABEL]);
        const p = await engine.run(params, hooks);
        assert.equal(p.verdict, 'validated');
        assertClean(`${provider} proposal`, JSON.stringify(p));
      }
      const auth = await engine
        .run(
          RunParams.parse({
            runId: 'secret-auth',
            goal: 'repair',
            file: join(dir, 'src/typeError.ts'),
            target: { kind: 'symbol', name: 'label' },
            workspaceRoot: dir,
            settings: { provider: 'anthropic', model: 'scripted-model', baseUrl: server.baseUrl },
            apiKeys: { anthropic: ANTHROPIC_KEY },
          }),
        )
        .catch((e: unknown) => e);
      assert.ok(AnnealError.is(auth));
      assertClean('logs', logs.join('\n'));
    } finally {
      engine.dispose();
    }
    assert.deepEqual(treeHash(dir), before);
  });

  it('an auth error says which key and where to set it', async () => {
    const dir = copyFixture('ts-basic');
    const engine = new Engine({ modelStage: createModelStage({ retry: { delayScale: 0.001 }, env: {} }) });
    try {
      for (const provider of ['anthropic', 'openai'] as const) {
        server.script(echoing());
        const e = await engine
          .run(
            RunParams.parse({
              runId: 'auth',
              goal: 'repair',
              file: join(dir, 'src/typeError.ts'),
              target: { kind: 'symbol', name: 'label' },
              workspaceRoot: dir,
              settings: {
                provider,
                model: 'scripted-model',
                baseUrl: provider === 'anthropic' ? server.baseUrl : server.openaiBaseUrl,
              },
              apiKeys: { anthropic: ANTHROPIC_KEY, openai: OPENAI_KEY },
            }),
          )
          .catch((x: unknown) => x);
        assert.ok(AnnealError.is(e, 'auth'), String(e));
        const variable = provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
        assert.match(e.message, new RegExp(`rejected the API key \\(HTTP 401\\).*Set ${variable}`, 's'));
        assert.match(e.message, /"Anneal: Set API Key" in VS Code/);
        assert.match(e.message, /\[redacted\]/);
      }
    } finally {
      engine.dispose();
    }
  });

  it('agent host: notifications, error responses and stderr hold no key, also when killed mid-run', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const host = startAgentHost({ ANTHROPIC_API_KEY: ANTHROPIC_KEY, OPENAI_API_KEY: OPENAI_KEY });
    const seen: string[] = [];
    try {
      const run = (over: Partial<RunParamsInput> = {}) =>
        host.connection.sendRequest<Proposal>('agent/run', {
          runId: `host-${Math.random()}`,
          goal: 'repair',
          file: join(dir, 'src/typeError.ts'),
          target: { kind: 'symbol', name: 'label' },
          workspaceRoot: dir,
          settings: { provider: 'anthropic', model: 'scripted-model', baseUrl: server.baseUrl },
          apiKeys: { anthropic: ANTHROPIC_KEY, openai: OPENAI_KEY },
          ...over,
        });
      server.script(echoing());
      const auth = await rejection(run());
      assert.equal(auth.reason, 'auth');
      seen.push(JSON.stringify(auth.error), auth.message);
      server.script(rateLimits());
      const limited = await rejection(run());
      assert.equal(limited.reason, 'rateLimited');
      seen.push(JSON.stringify(limited.error), limited.message);
      // The key from the host's environment (no apiKeys in the request), through the OpenAI format.
      server.script(echoing());
      const envAuth = await rejection(
        run({
          apiKeys: undefined,
          settings: { provider: 'openai', model: 'scripted-model', baseUrl: server.openaiBaseUrl },
        }),
      );
      assert.equal(envAuth.reason, 'auth');
      seen.push(JSON.stringify(envAuth.error), envAuth.message);
      server.script([FIX_LABEL]);
      seen.push(JSON.stringify(await run()));
      // Killed while a call is in flight: whatever it wrote on the way out.
      server.script([{ ...replyStep('slow'), delayMs: 60_000 }]);
      const first = server.requests.length;
      const pending = rejection(run());
      assert.ok(await waitUntil(() => server.requests.length > first, 30_000));
      host.child.kill('SIGKILL');
      await host.exited;
      host.connection.dispose();
      await pending;
    } finally {
      await host.stop();
    }
    assert.ok(host.logs.length > 0 && host.notifications.length > 10);
    assertClean('agent notifications', JSON.stringify(host.notifications));
    assertClean('agent stderr', host.stderr());
    assertClean('error responses', seen.join('\n'));
    assert.deepEqual(treeHash(dir), before);
  });

  it('CLI: stdout, stderr, --json and the run log files hold no key', async () => {
    const dir = copyFixture('ts-basic');
    const out: string[] = [];
    const cli = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
        env: {
          ANTHROPIC_API_KEY: ANTHROPIC_KEY,
          OPENAI_API_KEY: OPENAI_KEY,
        },
        cwd: dir,
      });
      out.push(stdout, stderr);
      return { code, stdout, stderr };
    };
    const base = ['repair', 'src/typeError.ts', '--symbol', 'label', '--model', 'scripted-model'];
    const anthropic = [...base, '--provider', 'anthropic', '--base-url', server.baseUrl];
    server.script(echoing());
    const auth = await cli([...anthropic, '--json']);
    assert.equal(auth.code, 2);
    assert.match(auth.stderr, /ANTHROPIC_API_KEY/);
    server.script(rateLimits());
    assert.equal((await cli(anthropic)).code, 2);
    server.script(streamErrors());
    assert.equal((await cli([...base, '--provider', 'openai', '--base-url', server.openaiBaseUrl])).code, 2);
    // A local server's token has no well-known shape: only knowing the key redacts it. The shared
    // engine reads ANNEAL_API_KEY from the process environment, as the installed CLI does.
    const savedToken = process.env.ANNEAL_API_KEY;
    process.env.ANNEAL_API_KEY = `local-token-${SECRET}`;
    try {
      server.script([errorStep(401, { message: `bad token local-token-${SECRET}` })]);
      const first = server.requests.length;
      const local = await cli([
        ...base,
        '--provider',
        'openai-compatible',
        '--base-url',
        server.openaiBaseUrl,
      ]);
      assert.equal(local.code, 2);
      assert.match(local.stderr, /ANNEAL_API_KEY/);
      assert.ok(server.requests[first]?.headers.authorization?.includes(SECRET), 'the token was not sent');
    } finally {
      if (savedToken === undefined) delete process.env.ANNEAL_API_KEY;
      else process.env.ANNEAL_API_KEY = savedToken;
    }
    server.script([FIX_LABEL]);
    const ok = await cli([...anthropic, '--json', '--log-json', 'log.json', '--log-md', 'log.md']);
    assert.equal(ok.code, 0, ok.stderr);
    out.push(readFileSync(join(dir, 'log.json'), 'utf8'), readFileSync(join(dir, 'log.md'), 'utf8'));
    assertClean('CLI output and run logs', out.join('\n'));
  });
});
