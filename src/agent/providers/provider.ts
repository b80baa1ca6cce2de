import type { TokenUsage } from '../../protocol/runLog';
import type { RetryInfo } from './modelCall';

/** A tool the model may call; `parameters` is JSON Schema produced from a zod schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model sent it: untrusted, parse with zod. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /** Streamed text deltas, when the provider streams. */
  onText?: (delta: string) => void;
  /**
   * Called before a retry. Text already streamed by the failed attempt is void: the retry
   * streams its answer from the start.
   */
  onRetry?: (info: RetryInfo) => void;
}

export interface CompletionResult {
  text: string;
  toolCalls: ToolCall[];
  usage: TokenUsage;
  /** Provider's stop reason, normalised: 'stop' | 'tool_calls' | 'length' | other. */
  stopReason: string;
  /** Attempts made, including the successful one (1 = no retry). */
  attempts?: number;
  /** True when the server reported no usage and `usage` was estimated from text length. */
  usageEstimated?: boolean;
}

/** One interface over every model service Anneal speaks to. */
export interface ModelProvider {
  readonly id: 'openai' | 'anthropic' | 'openai-compatible';
  readonly model: string;
  /** The endpoint the provider talks to, for messages and the run log. */
  readonly baseUrl?: string;
  complete(req: CompletionRequest): Promise<CompletionResult>;
}
