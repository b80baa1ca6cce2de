import { AnnealError } from '../annealError';

export type ProviderKind = 'openai' | 'anthropic' | 'openai-compatible';

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';
export const LMSTUDIO_BASE_URL = 'http://127.0.0.1:1234/v1';

/** A parsed `provider:model` spec. */
export interface ModelSpec {
  /** Undefined when a bare model name gives no clue and no provider was named. */
  provider?: ProviderKind;
  model: string;
  /** Set by the `ollama:` and `lmstudio:` prefixes. */
  baseUrl?: string;
  /** The prefix used, when it named a local server rather than a wire format. */
  server?: 'ollama' | 'lmstudio';
}

const PREFIXES: Record<string, Omit<ModelSpec, 'model'>> = {
  openai: { provider: 'openai' },
  anthropic: { provider: 'anthropic' },
  'openai-compatible': { provider: 'openai-compatible' },
  compatible: { provider: 'openai-compatible' },
  ollama: { provider: 'openai-compatible', baseUrl: OLLAMA_BASE_URL, server: 'ollama' },
  lmstudio: { provider: 'openai-compatible', baseUrl: LMSTUDIO_BASE_URL, server: 'lmstudio' },
};

/** The provider a bare model name belongs to, when its name says so. */
function inferProvider(model: string): ProviderKind | undefined {
  if (/^claude-/i.test(model)) return 'anthropic';
  if (/^(gpt-|chatgpt-|o\d(-|$))/i.test(model)) return 'openai';
  return undefined;
}

/**
 * Parses `openai:gpt-4.1-mini`, `anthropic:claude-sonnet-4-6`, `ollama:qwen2.5-coder:7b`,
 * `lmstudio:<model>`, `openai-compatible:<model>`, or a bare model name. Only a known prefix is
 * split off, so `qwen2.5-coder:7b` stays one name. `explicitProvider` (e.g. from --provider)
 * applies to a bare name and must agree with a prefix.
 */
export function parseModelSpec(spec: string, explicitProvider?: ProviderKind): ModelSpec {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  const known = PREFIXES[prefix];
  if (known) {
    const model = text.slice(colon + 1).trim();
    if (model === '') {
      throw new AnnealError(
        'badInput',
        `The model spec "${text}" names no model. Write it as ${prefix}:<model>, e.g. ollama:qwen2.5-coder:7b.`,
      );
    }
    if (explicitProvider && known.provider !== explicitProvider) {
      throw new AnnealError(
        'badInput',
        `The model "${text}" belongs to ${known.provider}, but the provider is set to ${explicitProvider}. ` +
          `Drop the prefix or change the provider.`,
      );
    }
    return { ...known, model };
  }
  if (text === '') throw new AnnealError('badInput', 'The model name is empty.');
  const provider = explicitProvider ?? inferProvider(text);
  return provider ? { provider, model: text } : { model: text };
}

/** `provider:model`, the form used in logs and the run log. */
export function formatModelSpec(provider: ProviderKind, model: string): string {
  return `${provider}:${model}`;
}
