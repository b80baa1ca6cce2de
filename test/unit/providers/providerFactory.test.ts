import assert from 'node:assert/strict';
import { AnnealError } from '../../../src/agent/annealError';
import { AnthropicProvider } from '../../../src/agent/providers/anthropicProvider';
import { OpenAIProvider } from '../../../src/agent/providers/openaiProvider';
import {
  DEFAULT_MODELS,
  normaliseCompatibleBaseUrl,
  probeCompatibleServer,
  resolveProvider,
} from '../../../src/agent/providers/providerFactory';
import { ModelCallError } from '../../../src/agent/providers/providerErrors';
import {
  type ScriptedModelServer,
  errorStep,
  replyStep,
  startScriptedModelServer,
} from '../../support/scriptedModelServer';

const ANTHROPIC_KEY = 'sk-ant-env-0123456789abcdef';
const OPENAI_KEY = 'sk-env-openai-0123456789abcdef';

async function closedUrl(): Promise<string> {
  const s = await startScriptedModelServer();
  const url = s.openaiBaseUrl;
  await s.close();
  return url;
}

describe('resolveProvider', () => {
  let server: ScriptedModelServer;

  beforeEach(async () => {
    server = await startScriptedModelServer({ models: ['qwen2.5-coder:7b', 'llama3.2:3b'] });
  });
  afterEach(async () => {
    await server.close();
  });

  it('none: no provider', async () => {
    const r = await resolveProvider({ provider: 'none', env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY } });
    assert.equal(r.provider, null);
  });

  it('auto prefers an Anthropic key, then an OpenAI key, from the environment', async () => {
    const both = await resolveProvider({
      provider: 'auto',
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, OPENAI_API_KEY: OPENAI_KEY },
      probe: false,
    });
    assert.ok(both.provider instanceof AnthropicProvider);
    assert.equal(both.provider.model, DEFAULT_MODELS.anthropic);
    assert.match(both.description, /ANTHROPIC_API_KEY/);
    assert.ok(!both.description.includes(ANTHROPIC_KEY));

    const openai = await resolveProvider({
      provider: 'auto',
      env: { OPENAI_API_KEY: OPENAI_KEY },
      probe: false,
    });
    assert.ok(openai.provider instanceof OpenAIProvider);
    assert.equal(openai.provider.id, 'openai');
    assert.equal(openai.provider.model, 'gpt-4.1-mini');
  });

  it('auto takes keys from SecretStorage before the environment', async () => {
    const r = await resolveProvider({
      provider: 'auto',
      apiKeys: { openai: 'sk-stored-openai-0123456789abcdef' },
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
      probe: false,
    });
    assert.equal(r.provider?.id, 'openai');
    assert.match(r.description, /SecretStorage/);
  });

  it('auto finds an OpenAI-compatible server answering on its base URL and uses its first model', async () => {
    const r = await resolveProvider({ provider: 'auto', env: { ANNEAL_BASE_URL: server.baseUrl } });
    assert.ok(r.provider instanceof OpenAIProvider);
    assert.equal(r.provider.id, 'openai-compatible');
    assert.equal(r.provider.model, 'qwen2.5-coder:7b');
    assert.equal(r.provider.baseUrl, server.openaiBaseUrl, 'a bare server root gets /v1');
    assert.ok(server.otherRequests.some((q) => q.path === '/v1/models' || q.path === '/api/tags'));

    // And the provider it made talks to that server.
    server.script([replyStep('hello from the local model')]);
    const result = await r.provider.complete({ system: 's', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(result.text, 'hello from the local model');
    assert.equal(server.requests[0]?.body.model, 'qwen2.5-coder:7b');
  });

  it('probes /v1/models, and Ollama-style /api/tags when that is missing', async () => {
    assert.equal(
      await probeCompatibleServer(`${server.baseUrl}/nope/v1`, 500),
      null,
      'a wrong path answers neither',
    );
    const ollamaOnly = await startScriptedModelServer({ models: ['from-tags'], modelList: false });
    const openaiOnly = await startScriptedModelServer({ models: ['from-models'], ollama: false });
    try {
      assert.deepEqual(await probeCompatibleServer(ollamaOnly.openaiBaseUrl, 500), ['from-tags']);
      assert.deepEqual(await probeCompatibleServer(openaiOnly.openaiBaseUrl, 500), ['from-models']);
      assert.deepEqual(ollamaOnly.otherRequests.map((q) => q.path).sort(), ['/api/tags', '/v1/models']);
    } finally {
      await ollamaOnly.close();
      await openaiOnly.close();
    }
  });

  it('auto with nothing set up gives no provider and says how to set one up, quickly', async () => {
    const url = await closedUrl();
    const started = Date.now();
    const r = await resolveProvider({ provider: 'auto', env: { OPENAI_BASE_URL: url } });
    assert.equal(r.provider, null);
    assert.ok(Date.now() - started < 1500);
    const message = r.message ?? '';
    assert.match(message, /ANTHROPIC_API_KEY/);
    assert.match(message, /OPENAI_API_KEY/);
    assert.match(message, /Anneal: Set API Key/);
    assert.match(message, /--provider openai-compatible --base-url \S+ --model/);
    assert.match(message, /ollama pull qwen2\.5-coder:7b/);
    assert.ok(message.includes(url), 'names the URL it tried');
  });

  it('auto with the probe disabled gives no provider', async () => {
    const r = await resolveProvider({ provider: 'auto', env: {}, probe: false });
    assert.equal(r.provider, null);
    assert.ok(r.message);
  });

  it('auto with a model spec uses the provider it names', async () => {
    const r = await resolveProvider({
      provider: 'auto',
      model: 'openai-compatible:llama3.2:3b',
      baseUrl: server.openaiBaseUrl,
      env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    });
    assert.equal(r.provider?.id, 'openai-compatible');
    assert.equal(r.provider?.model, 'llama3.2:3b');
  });

  it('an explicit provider without its key is an `auth` error naming the variable', async () => {
    for (const [provider, envVar] of [
      ['anthropic', 'ANTHROPIC_API_KEY'],
      ['openai', 'OPENAI_API_KEY'],
    ] as const) {
      await assert.rejects(
        resolveProvider({ provider, env: {} }),
        (e: unknown) =>
          AnnealError.is(e, 'auth') &&
          e.message.includes(envVar) &&
          e.message.includes('Anneal: Set API Key'),
      );
    }
  });

  it('explicit anthropic and openai use the given model and base URL', async () => {
    const a = await resolveProvider({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      baseUrl: server.baseUrl,
      apiKeys: { anthropic: ANTHROPIC_KEY },
      env: {},
      retry: { delayScale: 0.001 },
    });
    assert.ok(a.provider instanceof AnthropicProvider);
    assert.equal(a.provider.model, 'claude-haiku-4-5');
    server.script([replyStep('hi')]);
    await a.provider.complete({ system: 's', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(server.requests[0]?.path, '/v1/messages');

    const o = await resolveProvider({
      provider: 'openai',
      model: 'openai:gpt-4.1',
      baseUrl: server.openaiBaseUrl,
      env: { OPENAI_API_KEY: OPENAI_KEY },
    });
    assert.equal(o.provider?.model, 'gpt-4.1');
  });

  it('explicit openai-compatible without a model takes the first model listed', async () => {
    const r = await resolveProvider({ provider: 'openai-compatible', baseUrl: server.baseUrl, env: {} });
    assert.equal(r.provider?.model, 'qwen2.5-coder:7b');
    assert.match(r.description, /first model/);
  });

  it('explicit openai-compatible with nothing answering is `unavailable`', async () => {
    const url = await closedUrl();
    await assert.rejects(
      resolveProvider({ provider: 'openai-compatible', baseUrl: url, env: {} }),
      (e: unknown) => AnnealError.is(e, 'unavailable') && e.message.includes('ollama serve'),
    );
  });

  it('explicit openai-compatible on a server with no models says to pull one', async () => {
    const empty = await startScriptedModelServer({ models: [] });
    try {
      await assert.rejects(
        resolveProvider({ provider: 'openai-compatible', baseUrl: empty.baseUrl, env: {} }),
        (e: unknown) => AnnealError.is(e, 'needsModel') && e.message.includes('ollama pull'),
      );
    } finally {
      await empty.close();
    }
  });

  it('a compatible server that wants a key gets ANNEAL_API_KEY, and a 401 names it', async () => {
    const r = await resolveProvider({
      provider: 'openai-compatible',
      model: 'm',
      baseUrl: server.openaiBaseUrl,
      env: { ANNEAL_API_KEY: 'local-vllm-secret-key' },
    });
    server.script([(req) => errorStep(401, { message: `wrong key ${req.headers.authorization}` })]);
    await assert.rejects(
      r.provider?.complete({ system: '', messages: [{ role: 'user', content: 'x' }] }) ?? Promise.resolve(),
      (e: unknown) =>
        e instanceof ModelCallError &&
        e.reason === 'auth' &&
        e.message.includes('ANNEAL_API_KEY') &&
        !e.message.includes('local-vllm-secret-key'),
    );
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer local-vllm-secret-key');
  });

  it('normalises compatible base URLs', () => {
    assert.equal(normaliseCompatibleBaseUrl('http://127.0.0.1:11434'), 'http://127.0.0.1:11434/v1');
    assert.equal(normaliseCompatibleBaseUrl('http://127.0.0.1:11434/'), 'http://127.0.0.1:11434/v1');
    assert.equal(normaliseCompatibleBaseUrl('http://127.0.0.1:1234/v1/'), 'http://127.0.0.1:1234/v1');
    assert.throws(
      () => normaliseCompatibleBaseUrl('not a url'),
      (e) => AnnealError.is(e, 'badInput'),
    );
  });
});
