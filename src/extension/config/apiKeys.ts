import * as vscode from 'vscode';
import type { ApiKeys } from '../../protocol/agentProtocol';

export type KeyProvider = keyof ApiKeys;

const SECRET_KEYS: Record<KeyProvider, string> = {
  openai: 'anneal.apiKey.openai',
  anthropic: 'anneal.apiKey.anthropic',
};

/** API keys live only in SecretStorage; they go to the agent in RunParams.apiKeys and nowhere else. */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async all(): Promise<ApiKeys> {
    const keys: ApiKeys = {};
    for (const provider of Object.keys(SECRET_KEYS) as KeyProvider[]) {
      const value = await this.secrets.get(SECRET_KEYS[provider]);
      if (value) keys[provider] = value;
    }
    return keys;
  }

  async set(provider: KeyProvider, value: string): Promise<void> {
    await this.secrets.store(SECRET_KEYS[provider], value);
  }

  async delete(provider: KeyProvider): Promise<void> {
    await this.secrets.delete(SECRET_KEYS[provider]);
  }
}
