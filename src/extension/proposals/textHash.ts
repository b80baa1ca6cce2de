import { createHash } from 'node:crypto';

/** sha256 hex of the exact text, as the engine computes a proposal's baseHash. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
