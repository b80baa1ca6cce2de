import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import type { ErrorData } from '../../protocol/errorReasons';
import { AnnealError } from '../annealError';

/** JSON-RPC error codes the agent host answers with; `data` always holds ErrorData. */
export const AgentErrorCodes = {
  /** An AnnealError: read `data.reason`. */
  annealError: -32000,
  /** The LSP convention for a request the client cancelled. */
  cancelled: -32800,
  invalidParams: ErrorCodes.InvalidParams,
  internal: ErrorCodes.InternalError,
} as const;

/**
 * Maps anything thrown by the engine to a ResponseError. AnnealError keeps its reason and message
 * (written for the user); anything else becomes `internal` with a message that points to the log,
 * so no raw stack reaches the user.
 */
export function toResponseError(e: unknown, cancellationRequested: boolean): ResponseError<ErrorData> {
  if (AnnealError.is(e)) {
    const code = e.reason === 'cancelled' ? AgentErrorCodes.cancelled : AgentErrorCodes.annealError;
    const data: ErrorData = e.hint === undefined ? { reason: e.reason } : { reason: e.reason, hint: e.hint };
    return new ResponseError<ErrorData>(code, e.message, data);
  }
  if (cancellationRequested || (e instanceof Error && e.name === 'AbortError')) {
    return new ResponseError<ErrorData>(AgentErrorCodes.cancelled, 'The run was cancelled.', {
      reason: 'cancelled',
    });
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new ResponseError<ErrorData>(
    AgentErrorCodes.internal,
    `The Anneal agent hit an internal error: ${detail}`,
    { reason: 'internal', hint: 'See the Anneal log for details.' },
  );
}
