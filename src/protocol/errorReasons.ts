import { z } from 'zod';

/**
 * Why something failed. Both sides map their failures to one of these so that the other side
 * can react on the reason, never on message text.
 */
export const ErrorReason = z.enum([
  'auth',
  'rateLimited',
  'timeout',
  'badRequest',
  'unavailable',
  'cancelled',
  'badInput',
  'outsideWorkspace',
  'fileTooLarge',
  'binaryFile',
  'notFound',
  'noProject',
  'needsModel',
  'untrusted',
  'staleBase',
  'agentCrashed',
  'internal',
]);
export type ErrorReason = z.infer<typeof ErrorReason>;

/** The `data` of a JSON-RPC ResponseError sent by the agent host. */
export const ErrorData = z.object({ reason: ErrorReason, hint: z.string().optional() });
export type ErrorData = z.infer<typeof ErrorData>;
