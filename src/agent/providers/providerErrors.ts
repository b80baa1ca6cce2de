import {
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicConnectionTimeoutError,
  APIError as AnthropicApiError,
  APIUserAbortError as AnthropicUserAbortError,
} from '@anthropic-ai/sdk';
import {
  APIConnectionError as OpenAIConnectionError,
  APIConnectionTimeoutError as OpenAIConnectionTimeoutError,
  APIError as OpenAIApiError,
  APIUserAbortError as OpenAIUserAbortError,
} from 'openai';
import type { ErrorReason } from '../../protocol/errorReasons';
import { AnnealError } from '../annealError';
import { redactSecrets } from './redactSecrets';

/** What a message about a failed call needs to know about the service. Never holds the key. */
export interface ServiceInfo {
  kind: 'openai' | 'anthropic' | 'openai-compatible';
  /** Shown to the user: "OpenAI", "Anthropic", "the OpenAI-compatible server". */
  label: string;
  baseUrl: string;
  model: string;
  /** Where the key comes from, named in `auth` messages. */
  keyEnvVar: string;
}

/** Reasons a model call can fail with. */
export type ModelCallReason = Extract<
  ErrorReason,
  'auth' | 'rateLimited' | 'timeout' | 'badRequest' | 'unavailable' | 'cancelled' | 'internal'
>;

/** One failed attempt, classified. */
export interface AttemptFailure {
  reason: ModelCallReason;
  retryable: boolean;
  status?: number;
  /** Server-requested wait (Retry-After / retry-after-ms), already converted to ms. */
  retryAfterMs?: number;
  /** Short technical detail (the server's error message, "connection refused"…), not yet redacted. */
  detail: string;
  cause: unknown;
}

/** Thrown by stream readers when a stream ended before its terminating event. */
export class StreamIncompleteError extends Error {
  constructor(message = 'the response stream ended before it was complete') {
    super(message);
    this.name = 'StreamIncompleteError';
  }
}

/** The AnnealError of a failed model call, with how many attempts were made and the last HTTP status. */
export class ModelCallError extends AnnealError {
  constructor(
    reason: ModelCallReason,
    message: string,
    hint: string,
    readonly attempts: number,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(reason, message, hint, options);
    this.name = 'ModelCallError';
  }
}

/** Parses Retry-After (delta-seconds or an HTTP date) and retry-after-ms into milliseconds. */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function isApiError(e: unknown): e is OpenAIApiError | AnthropicApiError {
  return e instanceof OpenAIApiError || e instanceof AnthropicApiError;
}

function serverMessage(e: OpenAIApiError | AnthropicApiError): string {
  // The SDKs put "<status> <json body>" in `message`; prefer the body's own message.
  const body: unknown = e.error;
  if (body && typeof body === 'object') {
    const inner = (body as { error?: unknown }).error;
    const source = inner && typeof inner === 'object' ? inner : body;
    const msg = (source as { message?: unknown }).message;
    if (typeof msg === 'string' && msg.trim() !== '') return msg.trim();
  }
  return e.message;
}

function errorType(e: OpenAIApiError | AnthropicApiError): string | undefined {
  const body: unknown = e.error;
  if (body && typeof body === 'object') {
    const inner = (body as { error?: unknown }).error;
    const t = inner && typeof inner === 'object' ? (inner as { type?: unknown }).type : undefined;
    if (typeof t === 'string') return t;
  }
  return typeof e.type === 'string' ? e.type : undefined;
}

function causeChainText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur instanceof Error; i++) {
    const code = (cur as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${cur.message} (${code})` : cur.message);
    cur = cur.cause;
  }
  return parts.join(': ');
}

function connectionDetail(e: unknown): string {
  const text = causeChainText(e);
  if (/ECONNREFUSED/.test(text)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'host not found';
  if (/ECONNRESET|terminated|socket|other side closed/i.test(text))
    return 'the connection was closed mid-response';
  return text || 'network error';
}

/**
 * Classifies what one attempt threw. `userAborted` and `timedOut` come from the caller's own
 * controllers and take precedence: both SDKs report either as a generic abort.
 */
export function classifyAttemptError(
  e: unknown,
  flags: { userAborted: boolean; timedOut: boolean },
): AttemptFailure {
  if (flags.userAborted) return { reason: 'cancelled', retryable: false, detail: 'cancelled', cause: e };
  if (flags.timedOut) return { reason: 'timeout', retryable: false, detail: 'no answer in time', cause: e };
  if (e instanceof OpenAIConnectionTimeoutError || e instanceof AnthropicConnectionTimeoutError) {
    return { reason: 'timeout', retryable: false, detail: 'no answer in time', cause: e };
  }
  if (e instanceof OpenAIUserAbortError || e instanceof AnthropicUserAbortError) {
    return { reason: 'cancelled', retryable: false, detail: 'cancelled', cause: e };
  }
  if (e instanceof OpenAIConnectionError || e instanceof AnthropicConnectionError) {
    return { reason: 'unavailable', retryable: true, detail: connectionDetail(e), cause: e };
  }
  if (isApiError(e)) {
    const status = e.status;
    const detail = serverMessage(e);
    const retryAfterMs = parseRetryAfter(e.headers);
    const withRetryAfter = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (status === undefined) {
      // An error event inside a stream (Anthropic `event: error`, an OpenAI error payload).
      const type = errorType(e);
      if (type === 'rate_limit_error') return { reason: 'rateLimited', retryable: true, detail, cause: e };
      if (type === 'authentication_error' || type === 'permission_error') {
        return { reason: 'auth', retryable: false, detail, cause: e };
      }
      if (type === 'invalid_request_error')
        return { reason: 'badRequest', retryable: false, detail, cause: e };
      return { reason: 'unavailable', retryable: true, detail, cause: e };
    }
    if (status === 401 || status === 403)
      return { reason: 'auth', retryable: false, status, detail, cause: e };
    if (status === 429)
      return { reason: 'rateLimited', retryable: true, status, detail, cause: e, ...withRetryAfter };
    if (status === 408 || status === 409 || status >= 500) {
      return { reason: 'unavailable', retryable: true, status, detail, cause: e, ...withRetryAfter };
    }
    return { reason: 'badRequest', retryable: false, status, detail, cause: e };
  }
  if (e instanceof StreamIncompleteError) {
    return { reason: 'unavailable', retryable: true, detail: e.message, cause: e };
  }
  if (e instanceof TypeError && /terminated|fetch failed|network/i.test(causeChainText(e))) {
    return { reason: 'unavailable', retryable: true, detail: connectionDetail(e), cause: e };
  }
  if (e instanceof SyntaxError) {
    return { reason: 'unavailable', retryable: true, detail: `unreadable response: ${e.message}`, cause: e };
  }
  if (e instanceof Error && e.name === 'AbortError') {
    return { reason: 'cancelled', retryable: false, detail: 'cancelled', cause: e };
  }
  return { reason: 'internal', retryable: false, detail: causeChainText(e) || String(e), cause: e };
}

function setKeyAction(service: ServiceInfo): string {
  if (service.kind === 'openai-compatible') {
    return `If the server at ${service.baseUrl} needs a key, set ${service.keyEnvVar} to it.`;
  }
  return (
    `Set ${service.keyEnvVar} in the environment (CLI), or run "Anneal: Set API Key" in VS Code ` +
    `to store it in SecretStorage.`
  );
}

function reachAction(service: ServiceInfo): string {
  if (service.kind === 'openai-compatible') {
    return (
      `Check that the base URL ${service.baseUrl} is right and that the server is running ` +
      `(for Ollama: \`ollama serve\`; for LM Studio: start its local server).`
    );
  }
  return `Check your network connection and ${service.label}'s status page, then try again.`;
}

/** Builds the user-facing error for a failure after `attempts` attempts. Redacts `secrets`. */
export function toModelCallError(
  failure: AttemptFailure,
  service: ServiceInfo,
  attempts: number,
  timeoutMs: number,
  secrets: readonly (string | undefined)[],
): ModelCallError {
  const retries = attempts - 1;
  const afterRetries = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  const http = failure.status === undefined ? '' : ` (HTTP ${failure.status})`;
  const detail = failure.detail ? `: ${failure.detail}` : '';
  let message: string;
  let hint: string;
  switch (failure.reason) {
    case 'auth':
      hint = setKeyAction(service);
      message = `${service.label} rejected the API key${http}${detail}. ${hint}`;
      break;
    case 'rateLimited':
      hint = 'Wait a minute and try again, or lower concurrency (fewer candidates or parallel runs).';
      message = `${service.label} is rate-limiting requests${http}${afterRetries}${detail}. ${hint}`;
      break;
    case 'timeout':
      hint =
        `Try again, raise the request timeout (anneal.requestTimeoutMs, CLI --timeout), or use a smaller model.` +
        (service.kind === 'openai-compatible' ? ' A local model may still be loading.' : '');
      message = `${service.label} did not answer within ${Math.round(timeoutMs / 1000)} s (model ${service.model}). ${hint}`;
      break;
    case 'badRequest':
      hint =
        failure.status === 404
          ? `Check the model name "${service.model}"` +
            (service.kind === 'openai-compatible'
              ? ` (for Ollama: \`ollama pull ${service.model}\`).`
              : '.') +
            ` Also check the base URL ${service.baseUrl}.`
          : `Check the model name "${service.model}" and its limits (context size, tools support).`;
      message = `${service.label} refused the request${http}${detail}. ${hint}`;
      break;
    case 'unavailable':
      hint = reachAction(service);
      message = `Could not get an answer from ${service.label} at ${service.baseUrl}${http}${afterRetries}${detail}. ${hint}`;
      break;
    case 'cancelled':
      hint = 'Nothing was changed.';
      message = 'The model call was cancelled.';
      break;
    case 'internal':
      hint = 'See the Anneal log for details.';
      message = `The call to ${service.label} failed unexpectedly${detail}. ${hint}`;
      break;
  }
  const clean = (s: string) => redactSecrets(s, secrets);
  // The SDK error can carry the server's echo of the key; keep only a redacted copy as cause.
  const causeText = failure.cause instanceof Error ? failure.cause.message : String(failure.cause);
  const cause = new Error(clean(causeText));
  cause.name = failure.cause instanceof Error ? failure.cause.name : 'Error';
  return new ModelCallError(failure.reason, clean(message), clean(hint), attempts, failure.status, { cause });
}
