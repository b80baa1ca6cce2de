import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { TokenUsage } from '../../protocol/runLog';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  type AttemptContext,
  type ProviderCallOptions,
  modelCallOptions,
  runModelCall,
} from './modelCall';
import type { CompletionRequest, CompletionResult, ModelProvider, ToolCall, ToolSpec } from './provider';
import { type ServiceInfo, StreamIncompleteError } from './providerErrors';
import { estimateUsage } from './usageEstimate';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIProviderOptions extends ProviderCallOptions {
  /** 'openai-compatible' for Ollama, LM Studio, vLLM, llama.cpp and the like. Default 'openai'. */
  id?: 'openai' | 'openai-compatible';
  model: string;
  /** Required for 'openai'; optional for compatible servers (most local ones need none). */
  apiKey?: string;
  /** Default https://api.openai.com/v1; a compatible server's URL ends in /v1 too. */
  baseUrl?: string;
  /** Names the service in messages; default "OpenAI" or "the OpenAI-compatible server". */
  label?: string;
  /** Environment variable named in `auth` messages. */
  keyEnvVar?: string;
}

/** Sent when a compatible server needs no key: the SDK refuses to run without one. */
const NO_KEY = 'no-key';

function toOpenAIMessages(
  system: string,
  messages: CompletionRequest['messages'],
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
    else if (m.toolCalls && m.toolCalls.length > 0) {
      out.push({
        role: 'assistant',
        content: m.content === '' ? null : m.content,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: c.arguments },
        })),
      });
    } else out.push({ role: 'assistant', content: m.content });
  }
  return out;
}

function toOpenAITools(tools: ToolSpec[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

/** Some compatible servers send arguments as an object instead of JSON text. */
function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function promptText(req: CompletionRequest): string {
  return [req.system, ...req.messages.map((m) => m.content)].join('\n');
}

/** Reassembles streamed tool calls from their fragments. */
class ToolCallAccumulator {
  private readonly calls: { id: string; name: string; arguments: string }[] = [];
  private readonly byIndex = new Map<number, number>();

  add(delta: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    let slot: number | undefined;
    if (typeof delta.index === 'number') slot = this.byIndex.get(delta.index);
    else if (delta.id) {
      // Servers that omit `index` start each call with an id.
      const found = this.calls.findIndex((c) => c.id === delta.id);
      slot = found >= 0 ? found : undefined;
    } else if (this.calls.length > 0) slot = this.calls.length - 1;
    if (slot === undefined) {
      slot = this.calls.length;
      this.calls.push({ id: '', name: '', arguments: '' });
      if (typeof delta.index === 'number') this.byIndex.set(delta.index, slot);
    }
    const call = this.calls[slot];
    if (!call) return;
    if (delta.id && !call.id) call.id = delta.id;
    // Some servers repeat the name in every fragment: take it once.
    if (delta.function?.name && !call.name) call.name = delta.function.name;
    if (delta.function?.arguments !== undefined) call.arguments += argumentsText(delta.function.arguments);
  }

  result(): ToolCall[] {
    return this.calls.map((c, i) => ({ id: c.id || `call_${i}`, name: c.name, arguments: c.arguments }));
  }
}

/** Chat completions with tools, for OpenAI and every server that speaks its wire format. */
export class OpenAIProvider implements ModelProvider {
  readonly id: 'openai' | 'openai-compatible';
  readonly model: string;
  readonly baseUrl: string;
  private readonly client: OpenAI;
  private readonly service: ServiceInfo;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly options: OpenAIProviderOptions;

  constructor(options: OpenAIProviderOptions) {
    this.options = options;
    this.id = options.id ?? 'openai';
    this.model = options.model;
    this.baseUrl = (options.baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.service = {
      kind: this.id,
      label: options.label ?? (this.id === 'openai' ? 'OpenAI' : 'the OpenAI-compatible server'),
      baseUrl: this.baseUrl,
      model: this.model,
      keyEnvVar: options.keyEnvVar ?? (this.id === 'openai' ? 'OPENAI_API_KEY' : 'ANNEAL_API_KEY'),
    };
    this.client = new OpenAI({
      apiKey: options.apiKey || NO_KEY,
      baseURL: this.baseUrl,
      // Retries and timeouts are ours (runModelCall), so they are observable and bounded once.
      maxRetries: 0,
      timeout: this.timeoutMs,
      logLevel: 'off',
      // Keep the SDK from reading organisation/project ids meant for another endpoint.
      organization: this.id === 'openai' ? undefined : null,
      project: this.id === 'openai' ? undefined : null,
    });
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const stream = this.options.stream ?? true;
    const body: ChatCompletionCreateParamsBase = {
      model: this.model,
      messages: toOpenAIMessages(req.system, req.messages),
    };
    if (req.tools && req.tools.length > 0) body.tools = toOpenAITools(req.tools);
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.maxOutputTokens !== undefined) {
      // OpenAI wants max_completion_tokens; many compatible servers only know max_tokens.
      if (this.id === 'openai') body.max_completion_tokens = req.maxOutputTokens;
      else body.max_tokens = req.maxOutputTokens;
    }
    const outcome = await runModelCall(
      (ctx) => (stream ? this.streamOnce(body, req, ctx) : this.jsonOnce(body, req, ctx)),
      modelCallOptions(
        { service: this.service, timeoutMs: this.timeoutMs, retry: this.options.retry, secret: this.apiKey },
        req,
      ),
    );
    return { ...outcome.value, attempts: outcome.attempts };
  }

  private requestOptions(ctx: AttemptContext) {
    return { signal: ctx.signal, maxRetries: 0, timeout: ctx.timeoutMs };
  }

  private async jsonOnce(
    body: ChatCompletionCreateParamsBase,
    req: CompletionRequest,
    ctx: AttemptContext,
  ): Promise<CompletionResult> {
    const completion = await this.client.chat.completions.create(
      { ...body, stream: false },
      this.requestOptions(ctx),
    );
    const choice = completion.choices[0];
    if (!choice) throw new StreamIncompleteError('the answer held no choices');
    const message = choice.message;
    const text = message.content ?? '';
    const toolCalls: ToolCall[] = (message.tool_calls ?? []).flatMap((c, i) =>
      c.type === 'function'
        ? [{ id: c.id || `call_${i}`, name: c.function.name, arguments: argumentsText(c.function.arguments) }]
        : [],
    );
    if (text) req.onText?.(text);
    const reported = completion.usage;
    const usage: TokenUsage = reported
      ? { input: reported.prompt_tokens, output: reported.completion_tokens }
      : estimateUsage(promptText(req), text + toolCalls.map((c) => c.arguments).join(''));
    return {
      text,
      toolCalls,
      usage,
      stopReason: choice.finish_reason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      ...(reported ? {} : { usageEstimated: true }),
    };
  }

  private async streamOnce(
    body: ChatCompletionCreateParamsBase,
    req: CompletionRequest,
    ctx: AttemptContext,
  ): Promise<CompletionResult> {
    const stream = await this.client.chat.completions.create(
      { ...body, stream: true, stream_options: { include_usage: true } },
      this.requestOptions(ctx),
    );
    ctx.touch();
    let text = '';
    let stopReason: string | undefined;
    let usage: TokenUsage | undefined;
    const calls = new ToolCallAccumulator();
    for await (const chunk of stream) {
      ctx.touch();
      if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
      const choice = chunk.choices.find((c) => c.index === 0) ?? chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) {
        text += delta.content;
        req.onText?.(delta.content);
      }
      for (const call of delta?.tool_calls ?? []) calls.add(call);
      if (choice.finish_reason) stopReason = choice.finish_reason;
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    // The SDK ends iteration quietly at [DONE] or a clean close; without a finish_reason the
    // answer was cut short and must not be taken for complete.
    if (stopReason === undefined) throw new StreamIncompleteError();
    const toolCalls = calls.result();
    return {
      text,
      toolCalls,
      usage: usage ?? estimateUsage(promptText(req), text + toolCalls.map((c) => c.arguments).join('')),
      stopReason,
      ...(usage ? {} : { usageEstimated: true }),
    };
  }
}
