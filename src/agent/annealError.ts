import type { ErrorReason } from '../protocol/errorReasons';

/**
 * The agent side's one error class. `reason` is what callers branch on; `message` is for the
 * user and says what to do. Never carries an API key (see redactSecrets).
 */
export class AnnealError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnnealError';
  }

  static is(e: unknown, reason?: ErrorReason): e is AnnealError {
    return e instanceof AnnealError && (reason === undefined || e.reason === reason);
  }
}
