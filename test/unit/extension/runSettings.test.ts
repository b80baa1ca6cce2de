import { strict as assert } from 'node:assert';
import { runSettingsFromConfig } from '../../../src/extension/config/runSettings';
import { RunSettings } from '../../../src/protocol/agentProtocol';

const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe('settings → RunSettings', () => {
  it('uses the protocol defaults when nothing is set', () => {
    const { settings, problems } = runSettingsFromConfig(reader({}));
    assert.deepEqual(settings, RunSettings.parse({}));
    assert.deepEqual(problems, []);
  });

  it('maps every setting', () => {
    const { settings } = runSettingsFromConfig(
      reader({
        provider: 'openai-compatible',
        model: ' llama3 ',
        baseUrl: 'http://localhost:11434/v1',
        maxAttempts: 5,
        candidates: 2,
        diffCap: 0.3,
        tokenBudget: 1000,
        testCommand: 'npm test',
        timeoutSeconds: 60,
        'validators.typescript': true,
        'validators.eslint': false,
        'validators.tests': false,
        'validators.python': true,
      }),
    );
    assert.equal(settings.provider, 'openai-compatible');
    assert.equal(settings.model, 'llama3');
    assert.equal(settings.baseUrl, 'http://localhost:11434/v1');
    assert.equal(settings.maxAttempts, 5);
    assert.equal(settings.candidates, 2);
    assert.equal(settings.diffCap, 0.3);
    assert.equal(settings.tokenBudget, 1000);
    assert.equal(settings.testCommand, 'npm test');
    assert.equal(settings.timeoutMs, 60_000);
    assert.deepEqual(settings.validators, { typescript: true, eslint: false, tests: false, python: true });
  });

  it('treats empty strings as unset', () => {
    const { settings } = runSettingsFromConfig(reader({ model: '', baseUrl: '  ', testCommand: '' }));
    assert.equal(settings.model, undefined);
    assert.equal(settings.baseUrl, undefined);
    assert.equal(settings.testCommand, undefined);
  });

  it('falls back to the default for a bad value and says which', () => {
    const { settings, problems } = runSettingsFromConfig(
      reader({ maxAttempts: 99, provider: 'gpt', diffCap: 0.4 }),
    );
    assert.equal(settings.maxAttempts, 3);
    assert.equal(settings.provider, 'auto');
    assert.equal(settings.diffCap, 0.4);
    assert.equal(problems.length, 2);
    assert.match(problems.join('\n'), /anneal\.maxAttempts/);
    assert.match(problems.join('\n'), /anneal\.provider/);
  });
});
