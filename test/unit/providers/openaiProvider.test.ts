import assert from 'node:assert/strict';
import { AnnealError } from '../../../src/agent/annealError';
import type { RetryInfo } from '../../../src/agent/providers/modelCall';
import { OpenAIProvider, type OpenAIProviderOptions } from '../../../src/agent/providers/openaiProvider';
import type { CompletionRequest, ToolSpec } from '../../../src/agent/providers/provider';
import { ModelCallError } from '../../../src/agent/providers/providerErrors';
import {
  type ScriptedModelServer,
  errorStep,
  replyStep,
  startScriptedModelServer,
  toolCallStep,
} from '../../support/scriptedModelServer';

const KEY = 'sk-test-openai-0123456789abcdef';

const patchTool: ToolSpec = {
  name: 'patch_file',
  description: 'Replace one exact, unique occurrence of old_string with new_string.',
  parameters: {
    type: 'object',
    properties: { old_string: { type: 'string' }, new_string: { type: 'string' } },
    required: ['old_string', 'new_string'],
  },
};

function request(extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    system: 'You repair code.',
    messages: [{ role: 'user', content: 'Fix the type error in add().' }],
    tools: [patchTool],
    ...extra,
  };
}

async function rejection(p: Promise<unknown>): Promise<ModelCallError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ModelCallError, `expected ModelCallError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

describe('OpenAIProvider against the scripted server', () => {
  let server: ScriptedModelServer;
  let retries: RetryInfo[];

  beforeEach(async () => {
    server = await startScriptedModelServer();
    retries = [];
  });
  afterEach(async () => {
    await server.close();
  });

  function provider(extra: Partial<OpenAIProviderOptions> = {}): OpenAIProvider {
    return new OpenAIProvider({
      model: 'gpt-4.1-mini',
      apiKey: KEY,
      baseUrl: server.openaiBaseUrl,
      requestTimeoutMs: 2000,
      retry: { delayScale: 0.001, onRetry: (r) => retries.push(r) },
      ...extra,
    });
  }

  it('streams text, reports deltas and usage, and sends the conversation and tools', async () => {
    server.script([
      replyStep('The bug is in add(); it returns a string.', { usage: { input: 120, output: 17 } }),
    ]);
    const deltas: string[] = [];
    const result = await provider().complete(
      request({ onText: (d) => deltas.push(d), maxOutputTokens: 500 }),
    );
    assert.equal(result.text, 'The bug is in add(); it returns a string.');
    assert.ok(deltas.length > 1, 'text arrives in several deltas');
    assert.equal(deltas.join(''), result.text);
    assert.deepEqual(result.usage, { input: 120, output: 17 });
    assert.equal(result.stopReason, 'stop');
    assert.equal(result.attempts, 1);
    assert.deepEqual(result.toolCalls, []);

    const sent = server.requests[0];
    assert.ok(sent);
    assert.equal(sent.stream, true);
    assert.equal(sent.body.stream_options.include_usage, true);
    assert.equal(sent.body.model, 'gpt-4.1-mini');
    assert.equal(sent.body.max_completion_tokens, 500);
    assert.deepEqual(sent.body.messages[0], { role: 'system', content: 'You repair code.' });
    assert.equal(sent.body.tools[0].function.name, 'patch_file');
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
  });

  it('reassembles streamed tool-call argument fragments of several calls', async () => {
    const args1 = { old_string: 'return a + "" + b;', new_string: 'return a + b;' };
    const args2 = { old_string: 'let x: string = 1;', new_string: 'let x: number = 1;' };
    server.script([
      toolCallStep(
        [
          { name: 'patch_file', arguments: args1, id: 'call_a' },
          { name: 'patch_file', arguments: args2, id: 'call_b' },
        ],
        { text: 'Two patches.', argsChunkSize: 3 },
      ),
    ]);
    const result = await provider().complete(request());
    assert.equal(result.text, 'Two patches.');
    assert.equal(result.stopReason, 'tool_calls');
    assert.deepEqual(result.toolCalls, [
      { id: 'call_a', name: 'patch_file', arguments: JSON.stringify(args1) },
      { id: 'call_b', name: 'patch_file', arguments: JSON.stringify(args2) },
    ]);
  });

  it('passes malformed tool arguments through untouched for the caller to reject', async () => {
    server.script([toolCallStep({ name: 'patch_file', arguments: '{"old_string": "a", "new_str' })]);
    const result = await provider().complete(request());
    assert.equal(result.toolCalls[0]?.arguments, '{"old_string": "a", "new_str');
  });

  it('reads a JSON (non-streamed) answer with tool calls and usage', async () => {
    server.script([
      toolCallStep(
        { name: 'patch_file', arguments: { old_string: 'a', new_string: 'b' } },
        { usage: { input: 9, output: 4 } },
      ),
    ]);
    const result = await provider({ stream: false }).complete(request());
    assert.equal(server.requests[0]?.stream, false);
    assert.deepEqual(result.usage, { input: 9, output: 4 });
    assert.equal(result.toolCalls[0]?.name, 'patch_file');
    assert.deepEqual(JSON.parse(result.toolCalls[0]?.arguments ?? ''), { old_string: 'a', new_string: 'b' });
    assert.equal(result.stopReason, 'tool_calls');
  });

  it('maps a tool round trip into the wire format', async () => {
    server.script([replyStep('done')]);
    await provider().complete(
      request({
        messages: [
          { role: 'user', content: 'Fix it.' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'patch_file', arguments: '{"x":1}' }],
          },
          { role: 'tool', toolCallId: 'call_1', name: 'patch_file', content: 'applied; 1 error remains' },
        ],
      }),
    );
    const messages = server.requests[0]?.body.messages;
    assert.deepEqual(messages[2], {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'patch_file', arguments: '{"x":1}' } },
      ],
    });
    assert.deepEqual(messages[3], {
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'applied; 1 error remains',
    });
    assert.match(server.requests[0]?.text ?? '', /1 error remains/);
  });

  it('estimates usage when the server reports none', async () => {
    server.script([replyStep('abcdefgh', { omitUsage: true })]);
    const result = await provider().complete(request());
    assert.equal(result.usageEstimated, true);
    assert.ok(result.usage.input > 0 && result.usage.output > 0);
  });

  it('retries a 429, honouring Retry-After, then succeeds', async () => {
    server.script([errorStep(429, { retryAfter: 2 }), replyStep('ok', { usage: { input: 5, output: 1 } })]);
    const result = await provider().complete(request());
    assert.equal(result.text, 'ok');
    assert.equal(result.attempts, 2);
    assert.deepEqual(result.usage, { input: 5, output: 1 }, 'usage of the successful call only');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]?.reason, 'rateLimited');
    assert.equal(retries[0]?.status, 429);
    assert.equal(retries[0]?.delayMs, 2000, 'waits what the server asked');
    const gap = (server.requests[1]?.receivedAt ?? 0) - (server.requests[0]?.receivedAt ?? 0);
    assert.ok(gap >= 2, `the scaled wait was slept (${gap} ms)`);
  });

  it('accepts Retry-After as an HTTP date and caps it', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    server.script([errorStep(429, { retryAfter: inAnHour }), replyStep('ok')]);
    await provider({
      retry: { delayScale: 0.0001, maxRetryAfterMs: 5000, onRetry: (r) => retries.push(r) },
    }).complete(request());
    assert.equal(retries[0]?.delayMs, 5000);
    assert.ok((retries[0]?.retryAfterMs ?? 0) > 3_500_000);
  });

  it('backs off exponentially with jitter on a 429 without Retry-After', async () => {
    server.script([errorStep(429), errorStep(429), replyStep('ok')]);
    const result = await provider({
      retry: { delayScale: 0.001, baseDelayMs: 1000, random: () => 0.5, onRetry: (r) => retries.push(r) },
    }).complete(request());
    assert.equal(result.attempts, 3);
    assert.deepEqual(
      retries.map((r) => r.delayMs),
      [750, 1500],
    );
  });

  it('gives up on 500 after the retry bound with an `unavailable` error that counts the retries', async () => {
    server.script([errorStep(500), errorStep(500), errorStep(500), errorStep(500), replyStep('never')]);
    const err = await rejection(provider().complete(request()));
    assert.ok(AnnealError.is(err, 'unavailable'));
    assert.equal(err.attempts, 4);
    assert.equal(err.status, 500);
    assert.match(err.message, /after 3 retries/);
    assert.equal(server.requests.length, 4);
    assert.equal(server.pending, 1);
  });

  it('respects a configured retry bound', async () => {
    server.script([errorStep(503), errorStep(503), replyStep('late')]);
    const err = await rejection(
      provider({ retry: { maxRetries: 1, delayScale: 0.001 } }).complete(request()),
    );
    assert.equal(err.reason, 'unavailable');
    assert.equal(server.requests.length, 2);
  });

  it('turns 401 into `auth` naming OPENAI_API_KEY, and never echoes the key', async () => {
    server.script([
      (req) =>
        errorStep(401, { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}.` }),
    ]);
    const err = await rejection(provider().complete(request()));
    assert.equal(err.reason, 'auth');
    assert.match(err.message, /OPENAI_API_KEY/);
    assert.match(err.message, /Anneal: Set API Key/);
    assert.ok(!err.message.includes(KEY));
    assert.ok(!(err.hint ?? '').includes(KEY));
    assert.ok(!String((err.cause as Error).message).includes(KEY));
    assert.ok(!JSON.stringify({ m: err.message, s: err.stack }).includes(KEY));
    assert.equal(server.requests.length, 1, 'auth failures are not retried');
  });

  it('turns 400 into `badRequest` without retrying', async () => {
    server.script([errorStep(400, { message: 'tools are not supported by this model' })]);
    const err = await rejection(provider().complete(request()));
    assert.equal(err.reason, 'badRequest');
    assert.match(err.message, /tools are not supported/);
    assert.equal(server.requests.length, 1);
  });

  it('reports `unavailable` when nothing listens, with the base URL', async () => {
    const closed = await startScriptedModelServer();
    const url = closed.openaiBaseUrl;
    await closed.close();
    const err = await rejection(
      new OpenAIProvider({
        id: 'openai-compatible',
        model: 'qwen2.5-coder:7b',
        baseUrl: url,
        retry: { maxRetries: 1, delayScale: 0.001 },
      }).complete(request()),
    );
    assert.equal(err.reason, 'unavailable');
    assert.match(err.message, /connection refused/);
    assert.ok(err.message.includes(url));
    assert.match(err.message, /ollama serve/);
    assert.equal(err.attempts, 2);
  });

  it('times out when the first byte does not come in time, without retrying', async () => {
    server.script([replyStep('slow', { delayMs: 5000 })]);
    const started = Date.now();
    const err = await rejection(provider({ requestTimeoutMs: 150 }).complete(request()));
    assert.equal(err.reason, 'timeout');
    assert.ok(Date.now() - started < 2000);
    assert.equal(server.requests.length, 1);
  });

  it('times out a stream that stalls mid-way', async () => {
    server.script([replyStep('a long answer that stalls', { stallAfterChunks: 2, stallMs: 5000 })]);
    const err = await rejection(provider({ requestTimeoutMs: 200 }).complete(request()));
    assert.equal(err.reason, 'timeout');
  });

  it('keeps a slow but steady stream alive past the timeout', async () => {
    server.script([replyStep('x'.repeat(60), { textChunkSize: 10, stallAfterChunks: 3, stallMs: 150 })]);
    const result = await provider({ requestTimeoutMs: 250 }).complete(request());
    assert.equal(result.text.length, 60);
  });

  it('retries a stream cut mid tool-call, tells the caller, and returns the full retry', async () => {
    const args = { old_string: 'const a = 1', new_string: 'const a: number = 1' };
    server.script([
      toolCallStep(
        { name: 'patch_file', arguments: args },
        { text: 'Patching.', cutAfterChunks: 'midToolArguments' },
      ),
      toolCallStep({ name: 'patch_file', arguments: args }, { text: 'Patching.' }),
    ]);
    const deltas: string[] = [];
    const onRetry: RetryInfo[] = [];
    const result = await provider().complete(
      request({ onText: (d) => deltas.push(d), onRetry: (r) => onRetry.push(r) }),
    );
    assert.equal(result.attempts, 2);
    assert.equal(onRetry.length, 1);
    assert.equal(onRetry[0]?.reason, 'unavailable');
    assert.deepEqual(JSON.parse(result.toolCalls[0]?.arguments ?? ''), args);
  });

  it('fails `unavailable` when every stream is cut', async () => {
    server.fallback(() => replyStep('cut again', { cutAfterChunks: 2 }));
    const err = await rejection(
      provider({ retry: { maxRetries: 2, delayScale: 0.001 } }).complete(request()),
    );
    assert.equal(err.reason, 'unavailable');
    assert.equal(server.requests.length, 3);
  });

  it('retries an error payload sent inside the stream', async () => {
    server.script([replyStep('partial', { streamError: { afterChunks: 2 } }), replyStep('complete')]);
    const result = await provider().complete(request());
    assert.equal(result.text, 'complete');
    assert.equal(result.attempts, 2);
  });

  it('retries a JSON answer cut mid-body', async () => {
    server.script([replyStep('first', { cutAfterChunks: 1 }), replyStep('second')]);
    const result = await provider({ stream: false }).complete(request());
    assert.equal(result.text, 'second');
  });

  it('is cancelled quickly by an abort mid-call', async () => {
    server.script([replyStep('never arrives', { delayMs: 10_000 })]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const err = await rejection(
      provider({ requestTimeoutMs: 20_000 }).complete(request({ signal: controller.signal })),
    );
    assert.equal(err.reason, 'cancelled');
    assert.ok(Date.now() - started < 1000, 'cancelled promptly');
    assert.equal(server.requests.length, 1);
  });

  it('is cancelled by an abort mid-stream', async () => {
    server.script([replyStep('streaming slowly', { stallAfterChunks: 2, stallMs: 10_000 })]);
    const controller = new AbortController();
    const err = await rejection(
      provider({ requestTimeoutMs: 20_000 }).complete(
        request({ signal: controller.signal, onText: () => controller.abort() }),
      ),
    );
    assert.equal(err.reason, 'cancelled');
  });

  it('is cancelled during a backoff wait', async () => {
    server.script([errorStep(429, { retryAfter: 30 }), replyStep('ok')]);
    const controller = new AbortController();
    const started = Date.now();
    const call = provider({ retry: { delayScale: 1 } }).complete(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const err = await rejection(call);
    assert.equal(err.reason, 'cancelled');
    assert.ok(Date.now() - started < 2000);
    assert.equal(server.requests.length, 1);
  });

  it('does not call at all when already aborted', async () => {
    const err = await rejection(provider().complete(request({ signal: AbortSignal.abort() })));
    assert.equal(err.reason, 'cancelled');
    assert.equal(server.requests.length, 0);
  });

  it('sends max_tokens (not max_completion_tokens) to compatible servers and no key when none is set', async () => {
    server.script([replyStep('ok')]);
    await new OpenAIProvider({
      id: 'openai-compatible',
      model: 'qwen2.5-coder:7b',
      baseUrl: server.openaiBaseUrl,
    }).complete(request({ maxOutputTokens: 300 }));
    const body = server.requests[0]?.body;
    assert.equal(body.max_tokens, 300);
    assert.equal(body.max_completion_tokens, undefined);
    assert.equal(body.model, 'qwen2.5-coder:7b');
  });
});
