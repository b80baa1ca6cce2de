import assert from 'node:assert/strict';
import { AnnealError } from '../../../src/agent/annealError';
import { LMSTUDIO_BASE_URL, OLLAMA_BASE_URL, parseModelSpec } from '../../../src/agent/providers/modelSpec';
import { estimateCostUsd, modelPrice } from '../../../src/agent/providers/pricing';

describe('parseModelSpec', () => {
  it('splits known provider prefixes', () => {
    assert.deepEqual(parseModelSpec('openai:gpt-4.1-mini'), { provider: 'openai', model: 'gpt-4.1-mini' });
    assert.deepEqual(parseModelSpec('anthropic:claude-sonnet-4-5'), {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
    assert.deepEqual(parseModelSpec('openai-compatible:llama3.1'), {
      provider: 'openai-compatible',
      model: 'llama3.1',
    });
  });

  it('keeps the tag of an Ollama model and sets the local base URLs', () => {
    assert.deepEqual(parseModelSpec('ollama:qwen2.5-coder:7b'), {
      provider: 'openai-compatible',
      model: 'qwen2.5-coder:7b',
      baseUrl: OLLAMA_BASE_URL,
      server: 'ollama',
    });
    assert.equal(OLLAMA_BASE_URL, 'http://127.0.0.1:11434/v1');
    assert.equal(parseModelSpec('lmstudio:qwen2.5-7b-instruct').baseUrl, LMSTUDIO_BASE_URL);
    assert.equal(LMSTUDIO_BASE_URL, 'http://127.0.0.1:1234/v1');
  });

  it('reads a bare name with an explicit provider, and infers well-known names', () => {
    assert.deepEqual(parseModelSpec('qwen2.5-coder:7b', 'openai-compatible'), {
      provider: 'openai-compatible',
      model: 'qwen2.5-coder:7b',
    });
    assert.deepEqual(parseModelSpec('qwen2.5-coder:7b'), { model: 'qwen2.5-coder:7b' });
    assert.equal(parseModelSpec('claude-haiku-4-5').provider, 'anthropic');
    assert.equal(parseModelSpec('gpt-4o').provider, 'openai');
    assert.equal(parseModelSpec('o4-mini').provider, 'openai');
    assert.equal(parseModelSpec('gpt-4o', 'openai-compatible').provider, 'openai-compatible');
  });

  it('rejects a prefix that contradicts the provider, and an empty model', () => {
    assert.throws(
      () => parseModelSpec('anthropic:claude-sonnet-4-5', 'openai'),
      (e) => AnnealError.is(e, 'badInput'),
    );
    assert.throws(
      () => parseModelSpec('ollama:'),
      (e) => AnnealError.is(e, 'badInput'),
    );
    assert.throws(
      () => parseModelSpec('  '),
      (e) => AnnealError.is(e, 'badInput'),
    );
  });
});

describe('pricing', () => {
  it('prices well-known models by prefix, dated snapshots included', () => {
    assert.deepEqual(modelPrice('gpt-4.1-mini'), { inputPerMTok: 0.4, outputPerMTok: 1.6 });
    assert.deepEqual(modelPrice('gpt-4.1-mini-2025-04-14'), modelPrice('gpt-4.1-mini'));
    assert.deepEqual(modelPrice('openai:gpt-4.1'), { inputPerMTok: 2, outputPerMTok: 8 });
    assert.deepEqual(modelPrice('claude-sonnet-4-5'), { inputPerMTok: 3, outputPerMTok: 15 });
    assert.deepEqual(modelPrice('anthropic:claude-sonnet-4-6'), { inputPerMTok: 3, outputPerMTok: 15 });
  });

  it('estimates cost, and 0 for local or unknown models', () => {
    assert.ok(Math.abs(estimateCostUsd('gpt-4.1-mini', { input: 1_000_000, output: 500_000 }) - 1.2) < 1e-12);
    assert.ok(
      Math.abs(estimateCostUsd('claude-sonnet-4-5', { input: 10_000, output: 2_000 }) - 0.06) < 1e-12,
    );
    assert.equal(estimateCostUsd('ollama:qwen2.5-coder:7b', { input: 1e6, output: 1e6 }), 0);
    assert.equal(estimateCostUsd('qwen2.5-coder:7b', { input: 1e6, output: 1e6 }), 0);
    assert.equal(modelPrice('o3x'), undefined, 'prefixes end at a name boundary');
  });
});
