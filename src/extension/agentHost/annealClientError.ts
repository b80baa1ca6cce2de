import type { ErrorReason } from '../../protocol/errorReasons';

/**
 * The extension side's one error class for failed agent requests. `reason` is what callers
 * branch on; `message` is written for the user.
 */
export class AnnealClientError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'AnnealClientError';
  }

  static is(e: unknown, reason?: ErrorReason): e is AnnealClientError {
    return e instanceof AnnealClientError && (reason === undefined || e.reason === reason);
  }
}
