import { RunSettings } from '../../protocol/agentProtocol';

/** Reads one `anneal.*` setting; vscode.WorkspaceConfiguration.get in the extension. */
export type SettingReader = (key: string) => unknown;

/** The `anneal.*` settings keys and the RunSettings field each one maps to. */
export const SETTING_KEYS = {
  provider: 'provider',
  model: 'model',
  baseUrl: 'baseUrl',
  maxAttempts: 'maxAttempts',
  candidates: 'candidates',
  diffCap: 'diffCap',
  tokenBudget: 'tokenBudget',
  testCommand: 'testCommand',
  timeoutSeconds: 'timeoutSeconds',
  validatorTypescript: 'validators.typescript',
  validatorEslint: 'validators.eslint',
  validatorTests: 'validators.tests',
  validatorPython: 'validators.python',
} as const;

/**
 * Settings → RunSettings. Each value is checked on its own: one bad value falls back to its
 * default (and is reported) instead of failing the whole run.
 */
export function runSettingsFromConfig(read: SettingReader): { settings: RunSettings; problems: string[] } {
  const problems: string[] = [];
  const defaults = RunSettings.parse({});
  const text = (key: string): string | undefined => {
    const v = read(key);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const candidate: Record<string, unknown> = {
    provider: read(SETTING_KEYS.provider),
    model: text(SETTING_KEYS.model),
    baseUrl: text(SETTING_KEYS.baseUrl),
    maxAttempts: read(SETTING_KEYS.maxAttempts),
    candidates: read(SETTING_KEYS.candidates),
    diffCap: read(SETTING_KEYS.diffCap),
    tokenBudget: read(SETTING_KEYS.tokenBudget),
    testCommand: text(SETTING_KEYS.testCommand),
    timeoutMs:
      typeof read(SETTING_KEYS.timeoutSeconds) === 'number'
        ? Number(read(SETTING_KEYS.timeoutSeconds)) * 1000
        : undefined,
  };
  const settings: Record<string, unknown> = { ...defaults };
  const shape = RunSettings.shape;
  for (const [field, value] of Object.entries(candidate)) {
    if (value === undefined || value === null) continue;
    const schema = shape[field as keyof typeof shape];
    const parsed = schema.safeParse(value);
    if (parsed.success) settings[field] = parsed.data;
    else
      problems.push(
        `anneal.${settingKeyFor(field)}: ${JSON.stringify(value)} is not valid; using the default.`,
      );
  }
  const validators = { ...defaults.validators };
  for (const [name, key] of [
    ['typescript', SETTING_KEYS.validatorTypescript],
    ['eslint', SETTING_KEYS.validatorEslint],
    ['tests', SETTING_KEYS.validatorTests],
    ['python', SETTING_KEYS.validatorPython],
  ] as const) {
    const v = read(key);
    if (typeof v === 'boolean') validators[name] = v;
  }
  settings.validators = validators;
  return { settings: RunSettings.parse(settings), problems };
}

function settingKeyFor(field: string): string {
  return field === 'timeoutMs' ? SETTING_KEYS.timeoutSeconds : field;
}
