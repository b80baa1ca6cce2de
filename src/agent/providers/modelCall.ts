import { AnnealError } from '../annealError';
import {
  type AttemptFailure,
  type ModelCallReason,
  type ServiceInfo,
  classifyAttemptError,
  toModelCallError,
} from './providerErrors';

/** Told before each retry, so callers can log it and drop text streamed by the failed attempt. */
export interface RetryInfo {
  /** 1 for the first retry. */
  retry: number;
  /** The wait before the retry, before `delayScale` is applied. */
  delayMs: number;
  reason: ModelCallReason;
  status?: number;
  /** What the server asked for (Retry-After), before capping. */
  retryAfterMs?: number;
}

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff step. Default 1000 ms; doubles per retry. */
  baseDelayMs?: number;
  /** Cap of the exponential backoff. Default 30 s. */
  maxDelayMs?: number;
  /** Cap on a server's Retry-After. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Multiplies every wait actually slept (tests use e.g. 0.001). Default 1. */
  delayScale?: number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** Abortable sleep; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;

/** What one attempt gets: its own signal, and a way to say "still alive" while streaming. */
export interface AttemptContext {
  signal: AbortSignal;
  /** Restarts the timeout: a stream that keeps producing chunks does not time out. */
  touch(): void;
  timeoutMs: number;
  /** 0 for the first attempt. */
  attempt: number;
}

export interface ModelCallOptions {
  service: ServiceInfo;
  /** Per attempt: time to the first byte, and then the longest gap between stream chunks. */
  timeoutMs: number;
  signal?: AbortSignal;
  retry?: RetryOptions;
  /** Called with each retry besides retry.onRetry (the request's own listener). */
  onRetry?: (info: RetryInfo) => void;
  /** Redacted from every message. */
  secrets: readonly (string | undefined)[];
}

export interface ModelCallOutcome<T> {
  value: T;
  /** Attempts made, including the successful one. */
  attempts: number;
}

function cancelledError(): AnnealError {
  return new AnnealError('cancelled', 'The model call was cancelled.', 'Nothing was changed.');
}

/** Sleeps `ms`, rejecting with a `cancelled` AnnealError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait before retry number `retry` (1-based): the server's Retry-After when given (capped),
 * otherwise exponential backoff with jitter in [50%, 100%] of the step.
 */
export function retryDelayMs(
  retry: number,
  failure: Pick<AttemptFailure, 'retryAfterMs'>,
  opts: RetryOptions = {},
): number {
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, maxRetryAfter);
  const base = opts.baseDelayMs ?? 1000;
  const cap = opts.maxDelayMs ?? 30_000;
  const step = Math.min(cap, base * 2 ** (retry - 1));
  const random = opts.random ?? Math.random;
  return Math.round(step * (0.5 + 0.5 * random()));
}

/**
 * The options of one provider call: the provider's own settings (service, timeout, retry, key)
 * with the request's signal and retry listener.
 */
export function modelCallOptions(
  provider: { service: ServiceInfo; timeoutMs: number; retry?: RetryOptions; secret?: string },
  request: { signal?: AbortSignal; onRetry?: (info: RetryInfo) => void },
): ModelCallOptions {
  return {
    service: provider.service,
    timeoutMs: provider.timeoutMs,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(provider.retry ? { retry: provider.retry } : {}),
    ...(request.onRetry ? { onRetry: request.onRetry } : {}),
    secrets: [provider.secret],
  };
}

/**
 * Runs one model call with our policy: a timeout per attempt, cancellation by signal, and bounded
 * retries with backoff on 429, 5xx, 529 and network failures. The SDKs' own retries must be off.
 * Every failure leaves as a ModelCallError (an AnnealError) whose text never holds a key.
 */
export async function runModelCall<T>(
  attemptFn: (ctx: AttemptContext) => Promise<T>,
  opts: ModelCallOptions,
): Promise<ModelCallOutcome<T>> {
  const retry = opts.retry ?? {};
  const maxRetries = Math.max(0, retry.maxRetries ?? DEFAULT_MAX_RETRIES);
  const sleep = retry.sleep ?? abortableSleep;
  const scale = retry.delayScale ?? 1;
  const userSignal = opts.signal;

  for (let attempt = 0; ; attempt++) {
    if (userSignal?.aborted) {
      throw toModelCallError(
        { reason: 'cancelled', retryable: false, detail: '', cause: userSignal.reason },
        opts.service,
        attempt,
        opts.timeoutMs,
        opts.secrets,
      );
    }
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error('request timed out'));
      }, opts.timeoutMs);
    };
    const onUserAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    arm();
    let failure: AttemptFailure;
    try {
      const value = await attemptFn({
        signal: controller.signal,
        touch: arm,
        timeoutMs: opts.timeoutMs,
        attempt,
      });
      // A stream reader may return normally after an abort (the SDKs swallow abort errors).
      if (controller.signal.aborted) throw controller.signal.reason;
      return { value, attempts: attempt + 1 };
    } catch (e) {
      // The caller's own errors (thrown from onText, say) pass through untouched.
      if (AnnealError.is(e)) throw e;
      failure = classifyAttemptError(e, { userAborted: userSignal?.aborted === true, timedOut });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }

    if (!failure.retryable || attempt >= maxRetries) {
      throw toModelCallError(failure, opts.service, attempt + 1, opts.timeoutMs, opts.secrets);
    }
    const delayMs = retryDelayMs(attempt + 1, failure, retry);
    const info: RetryInfo = {
      retry: attempt + 1,
      delayMs,
      reason: failure.reason,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    };
    retry.onRetry?.(info);
    opts.onRetry?.(info);
    try {
      await sleep(delayMs * scale, userSignal);
    } catch (e) {
      if (AnnealError.is(e) || userSignal?.aborted) {
        throw toModelCallError(
          { reason: 'cancelled', retryable: false, detail: '', cause: e },
          opts.service,
          attempt + 1,
          opts.timeoutMs,
          opts.secrets,
        );
      }
      throw e;
    }
  }
}

/** Options every provider takes besides its model, key and base URL. */
export interface ProviderCallOptions {
  /** Per attempt; see ModelCallOptions.timeoutMs. Default 120 s. */
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  /** Stream replies (default true); `false` asks for one JSON answer. */
  stream?: boolean;
}
