import { AnnealError } from '../annealError';
import { ANTHROPIC_DEFAULT_BASE_URL, AnthropicProvider } from './anthropicProvider';
import type { RetryOptions } from './modelCall';
import { type ModelSpec, OLLAMA_BASE_URL, type ProviderKind, parseModelSpec } from './modelSpec';
import { OPENAI_DEFAULT_BASE_URL, OpenAIProvider } from './openaiProvider';
import type { ModelProvider } from './provider';
import { redactSecrets } from './redactSecrets';

export type ProviderChoice = 'none' | 'auto' | ProviderKind;

/** Models used when none is named. A compatible server uses the first model it lists. */
export const DEFAULT_MODELS = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-6' } as const;

export const DEFAULT_PROBE_TIMEOUT_MS = 500;

/** Lists the models of an OpenAI-compatible server, or null when nothing answers. */
export type ProbeFn = (baseUrl: string, timeoutMs: number) => Promise<string[] | null>;

export interface ResolveProviderOptions {
  provider: ProviderChoice;
  /** A bare model name or a `provider:model` spec (see parseModelSpec). */
  model?: string;
  /** Overrides the provider's base URL (for a compatible server: its /v1 URL). */
  baseUrl?: string;
  /** Keys from VS Code SecretStorage; they win over the environment. */
  apiKeys?: { openai?: string; anthropic?: string; compatible?: string };
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  stream?: boolean;
  /** Whether `auto` may probe for a local server (default true), or the probe to use. */
  probe?: boolean | ProbeFn;
  probeTimeoutMs?: number;
}

export interface ResolvedProvider {
  /** Null when no model is set up (or `none` was chosen): zero-token fixes only. */
  provider: ModelProvider | null;
  /** What was chosen and why, e.g. "anthropic:claude-sonnet-4-6 (key from ANTHROPIC_API_KEY)". Holds no key. */
  description: string;
  /** When provider is null: how to set a model up. */
  message?: string;
}

const KEY_ENV = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  compatible: 'ANNEAL_API_KEY',
} as const;

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/** A server root like http://host:11434 gets /v1, where every compatible server serves the API. */
export function normaliseCompatibleBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  try {
    const parsed = new URL(trimmed);
    if (parsed.pathname === '/' || parsed.pathname === '') return `${trimmed}/v1`;
  } catch {
    throw new AnnealError(
      'badInput',
      `The base URL "${url}" is not a URL. Write it like ${OLLAMA_BASE_URL}.`,
    );
  }
  return trimmed;
}

async function getJson(url: string, timeoutMs: number, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/**
 * Asks a server at `baseUrl` (its /v1 URL) for its models: GET <baseUrl>/models (OpenAI format)
 * and, for Ollama, GET <root>/api/tags, both within `timeoutMs`. Null when neither answers.
 */
export async function probeCompatibleServer(
  baseUrl: string,
  timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS,
  apiKey?: string,
): Promise<string[] | null> {
  const base = baseUrl.replace(/\/+$/, '');
  const root = base.replace(/\/v1$/, '');
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const [openaiList, ollamaTags] = await Promise.allSettled([
    getJson(`${base}/models`, timeoutMs, headers),
    getJson(`${root}/api/tags`, timeoutMs, headers),
  ]);
  if (openaiList.status === 'fulfilled') {
    const data = (openaiList.value as { data?: unknown }).data;
    if (Array.isArray(data)) {
      return data.flatMap((m: unknown) => {
        const id = m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined;
        return typeof id === 'string' ? [id] : [];
      });
    }
  }
  if (ollamaTags.status === 'fulfilled') {
    const models = (ollamaTags.value as { models?: unknown }).models;
    if (Array.isArray(models)) {
      return models.flatMap((m: unknown) => {
        const name = m && typeof m === 'object' ? (m as { name?: unknown }).name : undefined;
        return typeof name === 'string' ? [name] : [];
      });
    }
  }
  return null;
}

/** How to set up a model, shown when none is available. */
export function setupInstructions(probedUrl?: string): string {
  const nothing = probedUrl ? ` Nothing answered at ${probedUrl}.` : '';
  return (
    `No language model is set up, so Anneal can apply only its zero-token fixes.${nothing} To use a model, either ` +
    `set ANTHROPIC_API_KEY or OPENAI_API_KEY (in the environment for the CLI; in VS Code run "Anneal: Set API Key"), ` +
    `or run a local OpenAI-compatible server, e.g. \`ollama serve\` and \`ollama pull qwen2.5-coder:7b\`, then use ` +
    `\`--provider openai-compatible --base-url ${OLLAMA_BASE_URL} --model qwen2.5-coder:7b\` ` +
    `(or set ANNEAL_BASE_URL).`
  );
}

function missingKeyError(kind: 'openai' | 'anthropic'): AnnealError {
  const label = kind === 'openai' ? 'OpenAI' : 'Anthropic';
  const hint =
    `Set ${KEY_ENV[kind]} in the environment (CLI), or run "Anneal: Set API Key" in VS Code to store it in ` +
    `SecretStorage. For a local model use --provider openai-compatible instead.`;
  return new AnnealError('auth', `${label} needs an API key and none is set. ${hint}`, hint);
}

interface Chosen {
  key: string;
  source: string;
}

function pickKey(
  kind: 'openai' | 'anthropic',
  opts: ResolveProviderOptions,
  env: NodeJS.ProcessEnv,
): Chosen | undefined {
  const stored = nonEmpty(opts.apiKeys?.[kind]);
  if (stored) return { key: stored, source: 'key from VS Code SecretStorage' };
  const fromEnv = nonEmpty(env[KEY_ENV[kind]]);
  if (fromEnv) return { key: fromEnv, source: `key from ${KEY_ENV[kind]}` };
  return undefined;
}

function callOptions(opts: ResolveProviderOptions) {
  return {
    ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.stream !== undefined ? { stream: opts.stream } : {}),
  };
}

function makeAnthropic(
  opts: ResolveProviderOptions,
  env: NodeJS.ProcessEnv,
  spec: ModelSpec | undefined,
  chosen: Chosen,
): ResolvedProvider {
  const model = spec?.model ?? DEFAULT_MODELS.anthropic;
  const baseUrl = nonEmpty(opts.baseUrl) ?? nonEmpty(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL;
  const provider = new AnthropicProvider({ model, apiKey: chosen.key, baseUrl, ...callOptions(opts) });
  const at = baseUrl === ANTHROPIC_DEFAULT_BASE_URL ? '' : ` at ${baseUrl}`;
  return { provider, description: redactSecrets(`anthropic:${model}${at} (${chosen.source})`, [chosen.key]) };
}

function makeOpenAI(
  opts: ResolveProviderOptions,
  env: NodeJS.ProcessEnv,
  spec: ModelSpec | undefined,
  chosen: Chosen,
): ResolvedProvider {
  const model = spec?.model ?? DEFAULT_MODELS.openai;
  const baseUrl = nonEmpty(opts.baseUrl) ?? nonEmpty(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL;
  const provider = new OpenAIProvider({
    id: 'openai',
    model,
    apiKey: chosen.key,
    baseUrl,
    ...callOptions(opts),
  });
  const at = baseUrl === OPENAI_DEFAULT_BASE_URL ? '' : ` at ${baseUrl}`;
  return { provider, description: redactSecrets(`openai:${model}${at} (${chosen.source})`, [chosen.key]) };
}

function compatibleBaseUrl(
  opts: ResolveProviderOptions,
  env: NodeJS.ProcessEnv,
  spec: ModelSpec | undefined,
): string {
  return normaliseCompatibleBaseUrl(
    nonEmpty(opts.baseUrl) ??
      spec?.baseUrl ??
      nonEmpty(env.ANNEAL_BASE_URL) ??
      nonEmpty(env.OPENAI_BASE_URL) ??
      OLLAMA_BASE_URL,
  );
}

function serverLabel(spec: ModelSpec | undefined, baseUrl: string): string {
  if (spec?.server === 'ollama' || baseUrl.includes(':11434')) return 'Ollama';
  if (spec?.server === 'lmstudio' || baseUrl.includes(':1234')) return 'LM Studio';
  return 'the OpenAI-compatible server';
}

function makeCompatible(
  opts: ResolveProviderOptions,
  env: NodeJS.ProcessEnv,
  spec: ModelSpec | undefined,
  baseUrl: string,
  model: string,
  how: string,
): ResolvedProvider {
  const apiKey = nonEmpty(opts.apiKeys?.compatible) ?? nonEmpty(env.ANNEAL_API_KEY);
  const provider = new OpenAIProvider({
    id: 'openai-compatible',
    model,
    baseUrl,
    label: serverLabel(spec, baseUrl),
    keyEnvVar: KEY_ENV.compatible,
    ...(apiKey ? { apiKey } : {}),
    ...callOptions(opts),
  });
  return {
    provider,
    description: redactSecrets(`openai-compatible:${model} at ${baseUrl} (${how})`, [apiKey]),
  };
}

function probeFn(opts: ResolveProviderOptions): ProbeFn | undefined {
  if (opts.probe === false) return undefined;
  if (typeof opts.probe === 'function') return opts.probe;
  return probeCompatibleServer;
}

/**
 * Chooses the model provider for a run. `auto` takes, in order: an Anthropic key, an OpenAI key
 * (keys passed from SecretStorage before the environment's ANTHROPIC_API_KEY / OPENAI_API_KEY),
 * then an OpenAI-compatible server that answers on its base URL (default Ollama's), else none
 * with setup instructions. A named provider without its key throws AnnealError('auth').
 */
export async function resolveProvider(opts: ResolveProviderOptions): Promise<ResolvedProvider> {
  const env = opts.env ?? process.env;
  if (opts.provider === 'none') {
    return { provider: null, description: 'no model (zero-token fixes only)' };
  }
  const explicit = opts.provider === 'auto' ? undefined : opts.provider;
  const spec = nonEmpty(opts.model) ? parseModelSpec(opts.model ?? '', explicit) : undefined;
  const kind: ProviderKind | undefined = explicit ?? spec?.provider;
  const probeTimeout = opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;

  if (kind === 'anthropic' || kind === 'openai') {
    const chosen = pickKey(kind, opts, env);
    if (!chosen) throw missingKeyError(kind);
    return kind === 'anthropic'
      ? makeAnthropic(opts, env, spec, chosen)
      : makeOpenAI(opts, env, spec, chosen);
  }

  if (kind === 'openai-compatible') {
    const baseUrl = compatibleBaseUrl(opts, env, spec);
    if (spec) return makeCompatible(opts, env, spec, baseUrl, spec.model, 'model as given');
    // No model named: take the first one the server lists.
    const probe = probeFn(opts) ?? probeCompatibleServer;
    const models = await probe(baseUrl, Math.max(probeTimeout, 2000));
    const label = serverLabel(spec, baseUrl);
    if (models === null) {
      const hint = `Start it (for Ollama: \`ollama serve\`) or pass the right --base-url; or name a model with --model.`;
      throw new AnnealError(
        'unavailable',
        `No OpenAI-compatible server answered at ${baseUrl}. ${hint}`,
        hint,
      );
    }
    const first = models[0];
    if (first === undefined) {
      const hint = 'Download one, e.g. `ollama pull qwen2.5-coder:7b`, or name one with --model.';
      throw new AnnealError('needsModel', `${label} at ${baseUrl} lists no models. ${hint}`, hint);
    }
    return makeCompatible(opts, env, spec, baseUrl, first, 'first model the server lists');
  }

  // auto, with no provider implied by the model name.
  const stored = (['anthropic', 'openai'] as const).find((k) => nonEmpty(opts.apiKeys?.[k]));
  const fromEnv = (['anthropic', 'openai'] as const).find((k) => nonEmpty(env[KEY_ENV[k]]));
  const keyed = stored ?? fromEnv;
  if (keyed) {
    const chosen = pickKey(keyed, opts, env);
    if (chosen)
      return keyed === 'anthropic'
        ? makeAnthropic(opts, env, spec, chosen)
        : makeOpenAI(opts, env, spec, chosen);
  }
  const baseUrl = compatibleBaseUrl(opts, env, spec);
  const probe = probeFn(opts);
  if (probe) {
    const models = await probe(baseUrl, probeTimeout);
    if (models !== null) {
      const model = spec?.model ?? models[0];
      if (model !== undefined) return makeCompatible(opts, env, spec, baseUrl, model, 'found answering');
      return {
        provider: null,
        description: 'no model (zero-token fixes only)',
        message:
          `${serverLabel(spec, baseUrl)} answers at ${baseUrl} but lists no models. ` +
          'Download one, e.g. `ollama pull qwen2.5-coder:7b`, then run again.',
      };
    }
  }
  return {
    provider: null,
    description: 'no model (zero-token fixes only)',
    message: setupInstructions(probe ? baseUrl : undefined),
  };
}
