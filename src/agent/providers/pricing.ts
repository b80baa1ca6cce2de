import type { TokenUsage } from '../../protocol/runLog';

/** US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/**
 * List prices of a few well-known models, matched by longest prefix of the model name (so dated
 * snapshots like gpt-4.1-mini-2025-04-14 match). For estimates only: the bill is the provider's.
 */
const PRICES: Record<string, ModelPrice> = {
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  o3: { inputPerMTok: 2, outputPerMTok: 8 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
};

const LOCAL_PREFIXES = ['ollama:', 'lmstudio:', 'openai-compatible:', 'compatible:'];

/** The price of a model, or undefined for local and unknown models. Accepts `provider:model`. */
export function modelPrice(model: string): ModelPrice | undefined {
  const lower = model.trim().toLowerCase();
  if (LOCAL_PREFIXES.some((p) => lower.startsWith(p))) return undefined;
  const name = lower.replace(/^(openai|anthropic):/, '');
  let best: string | undefined;
  for (const key of Object.keys(PRICES)) {
    // A prefix must end at a name boundary: "o3" must not match "o3x".
    const boundary = name.length === key.length || name[key.length] === '-';
    if (name.startsWith(key) && boundary && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : PRICES[best];
}

/** Estimated cost in US dollars; 0 for local or unknown models. */
export function estimateCostUsd(model: string, usage: TokenUsage): number {
  const price = modelPrice(model);
  if (!price) return 0;
  return (usage.input * price.inputPerMTok + usage.output * price.outputPerMTok) / 1_000_000;
}
