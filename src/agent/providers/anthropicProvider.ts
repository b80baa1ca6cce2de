import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
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

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** The messages API requires max_tokens; enough for a whole-file rewrite. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 8192;

export interface AnthropicProviderOptions extends ProviderCallOptions {
  model: string;
  apiKey: string;
  /** Default https://api.anthropic.com (without /v1). */
  baseUrl?: string;
}

interface UsageNumbers {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Input as billed: cached reads and cache writes are input too. */
function inputTokens(u: UsageNumbers): number {
  return (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
}

/** Stop reasons in the neutral vocabulary of CompletionResult. */
export function normaliseAnthropicStop(reason: string | null | undefined): string {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case null:
    case undefined:
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
      return 'length';
    default:
      return reason;
  }
}

function parseToolInput(args: string): Record<string, unknown> {
  // The messages API wants an object; arguments the model sent malformed are kept as text so
  // the conversation still shows what it tried.
  try {
    const v: unknown = JSON.parse(args === '' ? '{}' : args);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    return { value: v };
  } catch {
    return { unparsed_arguments: args };
  }
}

/** Maps the neutral conversation to alternating user/assistant messages with content blocks. */
function toAnthropicMessages(messages: CompletionRequest['messages']): MessageParam[] {
  const out: { role: 'user' | 'assistant'; blocks: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    // Consecutive messages of one role merge: tool results and a following user note travel
    // together, as the API expects.
    if (last && last.role === role) last.blocks.push(...blocks);
    else out.push({ role, blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', m.content === '' ? [] : [{ type: 'text', text: m.content }]);
    else if (m.role === 'tool') {
      const block: ToolResultBlockParam = {
        type: 'tool_result',
        tool_use_id: m.toolCallId,
        content: m.content,
      };
      push('user', [block]);
    } else {
      const blocks: ContentBlockParam[] = [];
      if (m.content !== '') blocks.push({ type: 'text', text: m.content });
      for (const c of m.toolCalls ?? []) {
        blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseToolInput(c.arguments) });
      }
      push('assistant', blocks);
    }
  }
  return out.map((m) => ({ role: m.role, content: m.blocks }));
}

function toAnthropicTools(tools: ToolSpec[]): Tool[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: { type: 'object', ...t.parameters } as Tool.InputSchema,
  }));
}

/** Tool input as JSON text; a server may (off-spec) hand back raw text, which is kept as is. */
function inputText(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? {});
}

/** Claude through the messages API, with tools and streaming. */
export class AnthropicProvider implements ModelProvider {
  readonly id = 'anthropic' as const;
  readonly model: string;
  readonly baseUrl: string;
  private readonly client: Anthropic;
  private readonly service: ServiceInfo;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly options: AnthropicProviderOptions;

  constructor(options: AnthropicProviderOptions) {
    this.options = options;
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.service = {
      kind: 'anthropic',
      label: 'Anthropic',
      baseUrl: this.baseUrl,
      model: this.model,
      keyEnvVar: 'ANTHROPIC_API_KEY',
    };
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: this.baseUrl,
      // Retries and timeouts are ours (runModelCall), so they are observable and bounded once.
      maxRetries: 0,
      timeout: this.timeoutMs,
      logLevel: 'off',
    });
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const stream = this.options.stream ?? true;
    const body: MessageCreateParamsBase = {
      model: this.model,
      max_tokens: req.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: toAnthropicMessages(req.messages),
    };
    if (req.system) body.system = req.system;
    if (req.tools && req.tools.length > 0) body.tools = toAnthropicTools(req.tools);
    // No temperature: this SDK's messages API no longer takes one (sampling is the model's).
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
    body: MessageCreateParamsBase,
    req: CompletionRequest,
    ctx: AttemptContext,
  ): Promise<CompletionResult> {
    const message = await this.client.messages.create({ ...body, stream: false }, this.requestOptions(ctx));
    let text = '';
    const toolCalls: ToolCall[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'tool_use') {
        toolCalls.push({ id: block.id, name: block.name, arguments: inputText(block.input) });
      }
    }
    if (text) req.onText?.(text);
    return {
      text,
      toolCalls,
      usage: { input: inputTokens(message.usage), output: message.usage.output_tokens },
      stopReason: normaliseAnthropicStop(message.stop_reason),
    };
  }

  private async streamOnce(
    body: MessageCreateParamsBase,
    req: CompletionRequest,
    ctx: AttemptContext,
  ): Promise<CompletionResult> {
    const stream = await this.client.messages.create({ ...body, stream: true }, this.requestOptions(ctx));
    ctx.touch();
    let text = '';
    let stopReason: string | null | undefined;
    let finished = false;
    const usage: TokenUsage = { input: 0, output: 0 };
    // Tool calls by content-block index; their input arrives as JSON fragments.
    const tools = new Map<number, { id: string; name: string; json: string; initial: unknown }>();
    for await (const event of stream) {
      ctx.touch();
      switch (event.type) {
        case 'message_start':
          usage.input = inputTokens(event.message.usage);
          usage.output = event.message.usage.output_tokens ?? 0;
          break;
        case 'content_block_start': {
          const block = event.content_block;
          if (block.type === 'tool_use') {
            tools.set(event.index, { id: block.id, name: block.name, json: '', initial: block.input });
          } else if (block.type === 'text' && block.text) {
            text += block.text;
            req.onText?.(block.text);
          }
          break;
        }
        case 'content_block_delta': {
          const delta = event.delta;
          if (delta.type === 'text_delta') {
            text += delta.text;
            req.onText?.(delta.text);
          } else if (delta.type === 'input_json_delta') {
            const tool = tools.get(event.index);
            if (tool) tool.json += delta.partial_json;
          }
          break;
        }
        case 'message_delta':
          stopReason = event.delta.stop_reason;
          // Cumulative counts: the last message_delta holds the totals.
          usage.output = event.usage.output_tokens;
          if (event.usage.input_tokens !== null && event.usage.input_tokens !== undefined) {
            usage.input = inputTokens(event.usage);
          }
          break;
        case 'message_stop':
          finished = true;
          break;
        default:
          break;
      }
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (!finished) throw new StreamIncompleteError();
    const toolCalls: ToolCall[] = [...tools.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, t]) => ({ id: t.id, name: t.name, arguments: t.json !== '' ? t.json : inputText(t.initial) }));
    return { text, toolCalls, usage, stopReason: normaliseAnthropicStop(stopReason) };
  }
}
