import assert from 'node:assert/strict';
import { AnnealError } from '../../../src/agent/annealError';
import {
  AnthropicProvider,
  type AnthropicProviderOptions,
} from '../../../src/agent/providers/anthropicProvider';
import type { RetryInfo } from '../../../src/agent/providers/modelCall';
import type { CompletionRequest, ToolSpec } from '../../../src/agent/providers/provider';
import { ModelCallError } from '../../../src/agent/providers/providerErrors';
import {
  type ScriptedModelServer,
  errorStep,
  replyStep,
  startScriptedModelServer,
  toolCallStep,
} from '../../support/scriptedModelServer';

const KEY = 'sk-ant-test-0123456789abcdefghij';

const writeTool: ToolSpec = {
  name: 'write_file',
  description: 'Replace the whole file.',
  parameters: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] },
};

function request(extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    system: 'You repair code.',
    messages: [{ role: 'user', content: 'Fix the missing import.' }],
    tools: [writeTool],
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

describe('AnthropicProvider against the scripted server', () => {
  let server: ScriptedModelServer;
  let retries: RetryInfo[];

  beforeEach(async () => {
    server = await startScriptedModelServer();
    retries = [];
  });
  afterEach(async () => {
    await server.close();
  });

  function provider(extra: Partial<AnthropicProviderOptions> = {}): AnthropicProvider {
    return new AnthropicProvider({
      model: 'claude-sonnet-4-6',
      apiKey: KEY,
      baseUrl: server.baseUrl,
      requestTimeoutMs: 2000,
      retry: { delayScale: 0.001, onRetry: (r) => retries.push(r) },
      ...extra,
    });
  }

  it('streams text and a tool_use block, reassembling input_json_delta fragments', async () => {
    const content = 'import { sum } from "./sum";\nexport const total = sum([1, 2]);\n';
    server.script([
      toolCallStep(
        { name: 'write_file', arguments: { content }, id: 'toolu_1' },
        { text: 'Adding the import.', argsChunkSize: 5, usage: { input: 300, output: 42 } },
      ),
    ]);
    const deltas: string[] = [];
    const result = await provider().complete(request({ onText: (d) => deltas.push(d) }));
    assert.equal(result.text, 'Adding the import.');
    assert.equal(deltas.join(''), 'Adding the import.');
    assert.deepEqual(result.toolCalls, [
      { id: 'toolu_1', name: 'write_file', arguments: JSON.stringify({ content }) },
    ]);
    assert.equal(result.stopReason, 'tool_calls');
    assert.deepEqual(result.usage, { input: 300, output: 42 });
    assert.equal(result.attempts, 1);

    const sent = server.requests[0];
    assert.ok(sent);
    assert.equal(sent.path, '/v1/messages');
    assert.equal(sent.stream, true);
    assert.equal(sent.body.system, 'You repair code.');
    assert.equal(sent.body.max_tokens, 8192);
    assert.equal(sent.body.tools[0].name, 'write_file');
    assert.equal(sent.body.tools[0].input_schema.type, 'object');
    assert.ok(JSON.stringify(sent.headers).includes(KEY), 'the key is sent to the server');
  });

  it('reads a JSON (non-streamed) message', async () => {
    server.script([
      toolCallStep(
        { name: 'write_file', arguments: { content: 'x' } },
        { text: 'Here.', usage: { input: 7, output: 3 } },
      ),
    ]);
    const result = await provider({ stream: false }).complete(request());
    assert.equal(server.requests[0]?.stream, false);
    assert.equal(result.text, 'Here.');
    assert.deepEqual(JSON.parse(result.toolCalls[0]?.arguments ?? ''), { content: 'x' });
    assert.deepEqual(result.usage, { input: 7, output: 3 });
    assert.equal(result.stopReason, 'tool_calls');
  });

  it('maps end_turn to stop and passes malformed streamed arguments through', async () => {
    server.script([toolCallStep({ name: 'write_file', arguments: '{"content": "unterminated' })]);
    const result = await provider().complete(request());
    assert.equal(result.toolCalls[0]?.arguments, '{"content": "unterminated');
    server.script([replyStep('plain')]);
    const plain = await provider().complete(request());
    assert.equal(plain.stopReason, 'stop');
  });

  it('sends tool results as tool_result blocks in one user turn', async () => {
    server.script([replyStep('ok')]);
    await provider().complete(
      request({
        messages: [
          { role: 'user', content: 'Fix it.' },
          {
            role: 'assistant',
            content: 'Trying.',
            toolCalls: [
              { id: 'toolu_a', name: 'write_file', arguments: '{"content":"a"}' },
              { id: 'toolu_b', name: 'write_file', arguments: '{"content": broken' },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_a', name: 'write_file', content: 'applied' },
          { role: 'tool', toolCallId: 'toolu_b', name: 'write_file', content: 'arguments are not JSON' },
          { role: 'user', content: '2 errors remain.' },
        ],
      }),
    );
    const messages = server.requests[0]?.body.messages;
    assert.equal(messages.length, 3);
    assert.deepEqual(messages[1], {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Trying.' },
        { type: 'tool_use', id: 'toolu_a', name: 'write_file', input: { content: 'a' } },
        {
          type: 'tool_use',
          id: 'toolu_b',
          name: 'write_file',
          input: { unparsed_arguments: '{"content": broken' },
        },
      ],
    });
    assert.deepEqual(messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_a', content: 'applied' },
        { type: 'tool_result', tool_use_id: 'toolu_b', content: 'arguments are not JSON' },
        { type: 'text', text: '2 errors remain.' },
      ],
    });
  });

  it('retries 529 (overloaded) and then succeeds', async () => {
    server.script([errorStep(529), errorStep(529, { retryAfter: 1 }), replyStep('ok')]);
    const result = await provider().complete(request());
    assert.equal(result.attempts, 3);
    assert.deepEqual(
      retries.map((r) => [r.reason, r.status]),
      [
        ['unavailable', 529],
        ['unavailable', 529],
      ],
    );
    assert.equal(retries[1]?.delayMs, 1000);
  });

  it('retries 429 with Retry-After', async () => {
    server.script([errorStep(429, { retryAfter: 3 }), replyStep('ok')]);
    const result = await provider().complete(request());
    assert.equal(result.attempts, 2);
    assert.equal(retries[0]?.reason, 'rateLimited');
    assert.equal(retries[0]?.delayMs, 3000);
  });

  it('fails `rateLimited` after the bound, saying what to do', async () => {
    server.fallback(() => errorStep(429));
    const err = await rejection(
      provider({ retry: { maxRetries: 2, delayScale: 0.001 } }).complete(request()),
    );
    assert.equal(err.reason, 'rateLimited');
    assert.equal(err.attempts, 3);
    assert.match(err.message, /lower concurrency/);
  });

  it('turns 401 into `auth` naming ANTHROPIC_API_KEY without leaking the key', async () => {
    server.script([
      (req) => errorStep(401, { message: `invalid x-api-key: ${JSON.stringify(req.headers)}` }),
    ]);
    const err = await rejection(provider().complete(request()));
    assert.equal(err.reason, 'auth');
    assert.match(err.message, /ANTHROPIC_API_KEY/);
    assert.ok(!err.message.includes(KEY));
    assert.ok(!err.message.includes(KEY.slice(0, 20)), 'not even a prefix-shaped key');
    assert.ok(!String((err.cause as Error).message).includes(KEY));
    assert.equal(server.requests.length, 1);
  });

  it('retries a stream cut mid tool-call arguments', async () => {
    server.script([
      toolCallStep(
        { name: 'write_file', arguments: { content: 'abc' } },
        { cutAfterChunks: 'midToolArguments' },
      ),
      toolCallStep({ name: 'write_file', arguments: { content: 'abc' } }),
    ]);
    const result = await provider().complete(request());
    assert.equal(result.attempts, 2);
    assert.equal(retries[0]?.reason, 'unavailable');
    assert.deepEqual(JSON.parse(result.toolCalls[0]?.arguments ?? ''), { content: 'abc' });
  });

  it('fails `unavailable` when the stream is always cut', async () => {
    server.fallback(() => replyStep('again and again', { cutAfterChunks: 3 }));
    const err = await rejection(
      provider({ retry: { maxRetries: 1, delayScale: 0.001 } }).complete(request()),
    );
    assert.equal(err.reason, 'unavailable');
    assert.equal(server.requests.length, 2);
  });

  it('retries an overloaded error sent inside the stream', async () => {
    server.script([
      replyStep('partial answer', { streamError: { afterChunks: 4 } }),
      replyStep('whole answer'),
    ]);
    const result = await provider().complete(request());
    assert.equal(result.text, 'whole answer');
    assert.equal(retries[0]?.reason, 'unavailable');
  });

  it('does not retry an invalid-request error sent inside the stream', async () => {
    server.script([
      replyStep('x', { streamError: { afterChunks: 1, type: 'invalid_request_error', message: 'bad tool' } }),
    ]);
    const err = await rejection(provider().complete(request()));
    assert.equal(err.reason, 'badRequest');
    assert.equal(server.requests.length, 1);
  });

  it('retries a JSON answer cut mid-body', async () => {
    server.script([replyStep('first', { cutAfterChunks: 1 }), replyStep('second')]);
    const result = await provider({ stream: false }).complete(request());
    assert.equal(result.text, 'second');
    assert.equal(result.attempts, 2);
  });

  it('lets an error thrown by onText through untouched, without retrying', async () => {
    server.script([replyStep('some text to stream')]);
    const own = new AnnealError('cancelled', 'stopped by the caller');
    await assert.rejects(
      provider().complete(
        request({
          onText: () => {
            throw own;
          },
        }),
      ),
      (e: unknown) => e === own,
    );
    assert.equal(server.requests.length, 1);
  });

  it('times out before the first byte', async () => {
    server.script([replyStep('late', { delayMs: 5000 })]);
    const err = await rejection(provider({ requestTimeoutMs: 150 }).complete(request()));
    assert.equal(err.reason, 'timeout');
  });

  it('is cancelled quickly by an abort', async () => {
    server.script([replyStep('late', { delayMs: 10_000 })]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const err = await rejection(
      provider({ requestTimeoutMs: 20_000 }).complete(request({ signal: controller.signal })),
    );
    assert.equal(err.reason, 'cancelled');
    assert.ok(Date.now() - started < 1000);
  });
});
