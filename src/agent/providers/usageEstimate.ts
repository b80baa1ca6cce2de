import type { TokenUsage } from '../../protocol/runLog';

/**
 * A rough token count (4 characters a token) for servers that report no usage, so token budgets
 * and the run log still see a number. Flagged as estimated in CompletionResult.
 */
export function estimateUsage(promptText: string, replyText: string): TokenUsage {
  return { input: Math.ceil(promptText.length / 4), output: Math.ceil(replyText.length / 4) };
}
