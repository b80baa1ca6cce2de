import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted stand-in for a model service, on 127.0.0.1: it speaks the OpenAI chat-completions
 * and Anthropic messages wire formats (JSON and SSE) and answers from a per-test script, so the
 * real SDKs can be exercised end to end — replies, tool calls, faults, cuts and stalls.
 *
 *   const server = await startScriptedModelServer();
 *   server.script([
 *     errorStep(429, { retryAfter: 1 }),
 *     toolCallStep({ name: 'patch_file', arguments: { old_string: 'a', new_string: 'b' } }),
 *     // A step chosen from what the engine sent (e.g. the validation errors in the prompt):
 *     (req) => (req.text.includes('TS2304') ? toolCallStep(fixImport) : replyStep('done')),
 *   ]);
 *   new OpenAIProvider({ model: 'm', apiKey: 'k', baseUrl: server.openaiBaseUrl });   // or
 *   new AnthropicProvider({ model: 'm', apiKey: 'k', baseUrl: server.baseUrl });
 *   ... server.requests[0].body.messages ...
 *   await server.close();
 */

export interface ScriptedToolCall {
  /** Default: call_<request>_<i> (OpenAI) / toolu_<request>_<i> (Anthropic). */
  id?: string;
  name: string;
  /** A string is sent verbatim, so malformed JSON can be scripted. */
  arguments: string | Record<string, unknown>;
}

/** A model answer. Streamed as SSE when the request asks for a stream, else one JSON body. */
export interface ReplyStep {
  kind?: 'reply';
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: ~4 characters a token of the request text / of the reply. */
  usage?: { input?: number; output?: number };
  /** Wire-format stop reason; default stop/tool_calls (OpenAI), end_turn/tool_use (Anthropic). */
  stopReason?: string;
  /** Wait before the status line: a server that has not answered yet. */
  delayMs?: number;
  /** After this many stream chunks, pause for stallMs (a stream that stops mid-way). */
  stallAfterChunks?: number;
  stallMs?: number;
  /**
   * Destroy the socket after this many stream chunks (JSON: after half the body).
   * 'midToolArguments' cuts right after the first fragment of the first tool call's arguments.
   */
  cutAfterChunks?: number | 'midToolArguments';
  /** Characters per text delta (default 6) and per arguments fragment (default 7). */
  textChunkSize?: number;
  argsChunkSize?: number;
  /**
   * Streams only: after this many chunks send an error inside the stream and end it, as a
   * service does when it is overloaded mid-answer (Anthropic `event: error`, OpenAI `data: {"error"}`).
   */
  streamError?: { afterChunks: number; type?: string; message?: string };
  /** OpenAI streams only: leave out the usage chunk even when asked for it. */
  omitUsage?: boolean;
}

/** An HTTP error answer, in the error body format of the wire format that was called. */
export interface ErrorStep {
  kind: 'error';
  status: number;
  /** Replaces the whole default error body. */
  body?: unknown;
  /** Message inside the default error body. */
  message?: string;
  /** Sent as the Retry-After header (seconds, or an HTTP date string). */
  retryAfter?: number | string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type ScriptStep = ReplyStep | ErrorStep;

/** A step, or a function choosing the step from what the client sent. */
export type ScriptEntry = ScriptStep | ((request: RecordedRequest) => ScriptStep);

export type WireFormat = 'openai' | 'anthropic';

export interface RecordedRequest {
  /** 0-based among model requests. */
  index: number;
  format: WireFormat;
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  // The parsed JSON body as sent; tests look into it freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  stream: boolean;
  model: string;
  /** System prompt, every message's text, tool results and tool-call arguments, joined by newlines. */
  text: string;
  receivedAt: number;
}

export interface OtherRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  receivedAt: number;
}

export interface ScriptedModelServerOptions {
  /** Listed by GET /v1/models and GET /api/tags. Default ['scripted-model']. */
  models?: string[];
  /** Answer the Ollama endpoints /api/tags and /api/version (default true). */
  ollama?: boolean;
  /** Answer GET /v1/models (default true). */
  modelList?: boolean;
}

export interface ScriptedModelServer {
  /** http://127.0.0.1:<port>: the Anthropic SDK's base URL. */
  readonly baseUrl: string;
  /** <baseUrl>/v1: the OpenAI SDK's base URL. */
  readonly openaiBaseUrl: string;
  /** Model requests (chat completions and messages), in arrival order. */
  readonly requests: RecordedRequest[];
  /** Every other request (model lists, Ollama probes). */
  readonly otherRequests: OtherRequest[];
  /** Replaces the queue of steps; each model request takes the next one. */
  script(entries: ScriptEntry[]): void;
  /** Appends steps to the queue. */
  enqueue(...entries: ScriptEntry[]): void;
  /** Answers model requests once the queue is empty (default: a 400 saying the script ran out). */
  fallback(handler: ((request: RecordedRequest) => ScriptStep) | undefined): void;
  /** Steps not yet taken. */
  readonly pending: number;
  close(): Promise<void>;
}

/** A text reply. */
export function replyStep(text: string, extra: Omit<ReplyStep, 'kind' | 'text'> = {}): ReplyStep {
  return { kind: 'reply', text, ...extra };
}

/** A reply that calls tools (optionally with text before the calls). */
export function toolCallStep(
  calls: ScriptedToolCall | ScriptedToolCall[],
  extra: Omit<ReplyStep, 'kind' | 'toolCalls'> = {},
): ReplyStep {
  return { kind: 'reply', toolCalls: Array.isArray(calls) ? calls : [calls], ...extra };
}

/** An HTTP error answer. */
export function errorStep(status: number, extra: Omit<ErrorStep, 'kind' | 'status'> = {}): ErrorStep {
  return { kind: 'error', status, ...extra };
}

const DEFAULT_MODELS = ['scripted-model'];

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (!part || typeof part !== 'object') return '';
      const p = part as Record<string, unknown>;
      if (typeof p.text === 'string') return p.text;
      if (p.type === 'tool_result') return contentText(p.content);
      if (p.type === 'tool_use') return JSON.stringify(p.input ?? {});
      return '';
    })
    .filter((s) => s !== '')
    .join('\n');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function requestText(body: any): string {
  const parts: string[] = [];
  if (body?.system !== undefined) parts.push(contentText(body.system));
  for (const m of Array.isArray(body?.messages) ? body.messages : []) {
    parts.push(contentText(m?.content));
    for (const c of Array.isArray(m?.tool_calls) ? m.tool_calls : []) {
      if (typeof c?.function?.arguments === 'string') parts.push(c.function.arguments);
    }
  }
  return parts.filter((s) => s !== '').join('\n');
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  const n = Math.max(1, size);
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

function argsText(args: ScriptedToolCall['arguments']): string {
  return typeof args === 'string' ? args : JSON.stringify(args);
}

interface SseEvent {
  data: string;
  /** Marks an arguments fragment, for cutAfterChunks: 'midToolArguments'. */
  toolArgs?: boolean;
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const OPENAI_ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'permission_denied' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

function errorBody(format: WireFormat, status: number, message: string): unknown {
  if (format === 'anthropic') {
    return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
  }
  const t = OPENAI_ERROR_TYPES[status] ?? { type: 'server_error', code: null };
  return { error: { message, type: t.type, param: null, code: t.code } };
}

/** Starts a scripted model server on 127.0.0.1 with an ephemeral port. */
export async function startScriptedModelServer(
  options: ScriptedModelServerOptions = {},
): Promise<ScriptedModelServer> {
  const models = options.models ?? DEFAULT_MODELS;
  const ollama = options.ollama ?? true;
  const modelList = options.modelList ?? true;
  const requests: RecordedRequest[] = [];
  const otherRequests: OtherRequest[] = [];
  let queue: ScriptEntry[] = [];
  let fallbackHandler: ((request: RecordedRequest) => ScriptStep) | undefined;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  /** Waits ms, or less if the client went away; resolves true when the client is still there. */
  const wait = (ms: number, res: http.ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      if (res.destroyed || res.writableEnded) {
        resolve(false);
        return;
      }
      const done = () => {
        clearTimeout(timer);
        timers.delete(timer);
        res.off('close', onClose);
        resolve(!res.destroyed);
      };
      const onClose = () => done();
      const timer = setTimeout(done, ms);
      timers.add(timer);
      res.on('close', onClose);
    });

  const write = (res: http.ServerResponse, data: string): Promise<void> =>
    new Promise((resolve) => {
      if (res.destroyed) {
        resolve();
        return;
      }
      res.write(data, () => resolve());
    });

  const sendJson = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  const nextStep = (req: RecordedRequest): ScriptStep => {
    const entry = queue.shift();
    if (entry !== undefined) return typeof entry === 'function' ? entry(req) : entry;
    if (fallbackHandler) return fallbackHandler(req);
    return errorStep(400, {
      message: `scripted model server: the script has no step for request #${req.index} (${req.path})`,
    });
  };

  const usageOf = (step: ReplyStep, req: RecordedRequest) => {
    const replyChars =
      (step.text ?? '').length + (step.toolCalls ?? []).reduce((n, c) => n + argsText(c.arguments).length, 0);
    return {
      input: step.usage?.input ?? Math.ceil(req.text.length / 4),
      output: step.usage?.output ?? Math.max(1, Math.ceil(replyChars / 4)),
    };
  };

  const openaiEvents = (step: ReplyStep, req: RecordedRequest): SseEvent[] => {
    const base = {
      id: `chatcmpl-${req.index}`,
      object: 'chat.completion.chunk',
      created: 0,
      model: req.model,
    };
    const ev = (payload: object, toolArgs = false): SseEvent => ({
      data: `data: ${JSON.stringify({ ...base, ...payload })}\n\n`,
      ...(toolArgs ? { toolArgs } : {}),
    });
    const choice = (delta: object, finish: string | null = null) => ({
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const events: SseEvent[] = [ev(choice({ role: 'assistant', content: '' }))];
    for (const piece of chunks(step.text ?? '', step.textChunkSize ?? 6))
      events.push(ev(choice({ content: piece })));
    (step.toolCalls ?? []).forEach((call, i) => {
      const id = call.id ?? `call_${req.index}_${i}`;
      events.push(
        ev(
          choice({
            tool_calls: [{ index: i, id, type: 'function', function: { name: call.name, arguments: '' } }],
          }),
        ),
      );
      for (const frag of chunks(argsText(call.arguments), step.argsChunkSize ?? 7)) {
        events.push(ev(choice({ tool_calls: [{ index: i, function: { arguments: frag } }] }), true));
      }
    });
    const finish = step.stopReason ?? ((step.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop');
    events.push(ev(choice({}, finish)));
    if (req.body?.stream_options?.include_usage === true && !step.omitUsage) {
      const u = usageOf(step, req);
      events.push(
        ev({
          choices: [],
          usage: { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output },
        }),
      );
    }
    events.push({ data: 'data: [DONE]\n\n' });
    return events;
  };

  const anthropicEvents = (step: ReplyStep, req: RecordedRequest): SseEvent[] => {
    const ev = (type: string, payload: object, toolArgs = false): SseEvent => ({
      data: `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`,
      ...(toolArgs ? { toolArgs } : {}),
    });
    const u = usageOf(step, req);
    const events: SseEvent[] = [
      ev('message_start', {
        message: {
          id: `msg_${req.index}`,
          type: 'message',
          role: 'assistant',
          model: req.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: u.input,
            output_tokens: 1,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        },
      }),
      ev('ping', {}),
    ];
    let index = 0;
    if (step.text !== undefined && step.text !== '') {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const piece of chunks(step.text, step.textChunkSize ?? 6)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
      }
      events.push(ev('content_block_stop', { index }));
      index++;
    }
    (step.toolCalls ?? []).forEach((call, i) => {
      const id = call.id ?? `toolu_${req.index}_${i}`;
      events.push(
        ev('content_block_start', {
          index,
          content_block: { type: 'tool_use', id, name: call.name, input: {} },
        }),
      );
      for (const frag of chunks(argsText(call.arguments), step.argsChunkSize ?? 7)) {
        events.push(
          ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: frag } }, true),
        );
      }
      events.push(ev('content_block_stop', { index }));
      index++;
    });
    const stop = step.stopReason ?? ((step.toolCalls ?? []).length > 0 ? 'tool_use' : 'end_turn');
    events.push(
      ev('message_delta', {
        delta: { stop_reason: stop, stop_sequence: null },
        usage: { output_tokens: u.output },
      }),
    );
    events.push(ev('message_stop', {}));
    return events;
  };

  const jsonReply = (step: ReplyStep, req: RecordedRequest): unknown => {
    const u = usageOf(step, req);
    const calls = step.toolCalls ?? [];
    if (req.format === 'openai') {
      return {
        id: `chatcmpl-${req.index}`,
        object: 'chat.completion',
        created: 0,
        model: req.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: step.text ?? null,
              refusal: null,
              ...(calls.length > 0
                ? {
                    tool_calls: calls.map((c, i) => ({
                      id: c.id ?? `call_${req.index}_${i}`,
                      type: 'function',
                      function: { name: c.name, arguments: argsText(c.arguments) },
                    })),
                  }
                : {}),
            },
            logprobs: null,
            finish_reason: step.stopReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
          },
        ],
        usage: { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output },
      };
    }
    const content: unknown[] = [];
    if (step.text) content.push({ type: 'text', text: step.text });
    calls.forEach((c, i) => {
      let input: unknown = c.arguments;
      if (typeof c.arguments === 'string') {
        // Malformed arguments cannot be an object; send the raw text so clients see it.
        try {
          input = JSON.parse(c.arguments);
        } catch {
          input = c.arguments;
        }
      }
      content.push({ type: 'tool_use', id: c.id ?? `toolu_${req.index}_${i}`, name: c.name, input });
    });
    return {
      id: `msg_${req.index}`,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content,
      stop_reason: step.stopReason ?? (calls.length > 0 ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens: u.input,
        output_tokens: u.output,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    };
  };

  const runStep = async (step: ScriptStep, req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (step.delayMs !== undefined && step.delayMs > 0) {
      if (!(await wait(step.delayMs, res))) return;
    }
    if (step.kind === 'error') {
      const headers: Record<string, string> = { ...(step.headers ?? {}) };
      if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
      const body =
        step.body ?? errorBody(req.format, step.status, step.message ?? `scripted error ${step.status}`);
      sendJson(res, step.status, body, headers);
      return;
    }
    if (!req.stream) {
      const text = JSON.stringify(jsonReply(step, req));
      if (step.cutAfterChunks !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        await write(res, text.slice(0, Math.floor(text.length / 2)));
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, JSON.parse(text));
      return;
    }
    const events = req.format === 'openai' ? openaiEvents(step, req) : anthropicEvents(step, req);
    let cutAt: number | undefined;
    if (step.cutAfterChunks === 'midToolArguments') {
      const first = events.findIndex((e) => e.toolArgs === true);
      cutAt = first >= 0 ? first + 1 : Math.floor(events.length / 2);
    } else if (step.cutAfterChunks !== undefined) cutAt = step.cutAfterChunks;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    for (let i = 0; i < events.length; i++) {
      if (cutAt !== undefined && i >= cutAt) {
        res.socket?.destroy();
        return;
      }
      if (step.streamError && i === step.streamError.afterChunks) {
        const type =
          step.streamError.type ?? (req.format === 'anthropic' ? 'overloaded_error' : 'server_error');
        const error = { type, message: step.streamError.message ?? `scripted stream error ${type}` };
        await write(
          res,
          req.format === 'anthropic'
            ? `event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`
            : `data: ${JSON.stringify({ error })}\n\n`,
        );
        res.end();
        return;
      }
      if (step.stallAfterChunks !== undefined && i === step.stallAfterChunks && step.stallMs) {
        if (!(await wait(step.stallMs, res))) return;
      }
      const event = events[i];
      if (event) await write(res, event.data);
      if (res.destroyed) return;
    }
    res.end();
  };

  const handleModelRequest = async (
    format: WireFormat,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: string,
  ): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, errorBody(format, 400, 'scripted model server: the body is not JSON'));
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const b = body as any;
    const recorded: RecordedRequest = {
      index: requests.length,
      format,
      method: req.method ?? 'POST',
      path: req.url ?? '',
      headers: flatHeaders(req.headers),
      body,
      stream: b?.stream === true,
      model: typeof b?.model === 'string' ? b.model : '',
      text: requestText(b),
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    let step: ScriptStep;
    try {
      step = nextStep(recorded);
    } catch (e) {
      sendJson(
        res,
        400,
        errorBody(format, 400, `scripted model server: a step function threw: ${String(e)}`),
      );
      return;
    }
    await runStep(step, recorded, res);
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      const format: WireFormat | undefined =
        method === 'POST' && path.endsWith('/chat/completions')
          ? 'openai'
          : method === 'POST' && path.endsWith('/messages')
            ? 'anthropic'
            : undefined;
      if (format) {
        handleModelRequest(format, req, res, raw).catch(() => res.destroy());
        return;
      }
      otherRequests.push({ method, path, headers: flatHeaders(req.headers), receivedAt: Date.now() });
      if (modelList && method === 'GET' && (path === '/v1/models' || path === '/models')) {
        sendJson(res, 200, {
          object: 'list',
          data: models.map((id) => ({
            id,
            object: 'model',
            type: 'model',
            created: 0,
            owned_by: 'scripted',
          })),
          has_more: false,
        });
      } else if (ollama && method === 'GET' && path === '/api/tags') {
        sendJson(res, 200, {
          models: models.map((name) => ({
            name,
            model: name,
            modified_at: '2025-01-01T00:00:00Z',
            size: 0,
            digest: '',
            details: {},
          })),
        });
      } else if (ollama && method === 'GET' && path === '/api/version') {
        sendJson(res, 200, { version: '0.0.0-scripted' });
      } else if (ollama && method === 'GET' && path === '/') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('Ollama is running');
      } else {
        sendJson(res, 404, { error: { message: `scripted model server: no route ${method} ${path}` } });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    openaiBaseUrl: `${baseUrl}/v1`,
    requests,
    otherRequests,
    script(entries) {
      queue = [...entries];
    },
    enqueue(...entries) {
      queue.push(...entries);
    },
    fallback(handler) {
      fallbackHandler = handler;
    },
    get pending() {
      return queue.length;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
