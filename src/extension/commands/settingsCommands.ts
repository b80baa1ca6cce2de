import * as vscode from 'vscode';
import type { AnnealServices } from '../annealServices';
import type { KeyProvider } from '../config/apiKeys';

/** anneal.setApiKey: store (or remove) a provider's key in SecretStorage, never in settings. */
export function setApiKey(s: AnnealServices) {
  return async (): Promise<void> => {
    const providers: { label: string; provider: KeyProvider; description: string }[] = [
      { label: 'OpenAI', provider: 'openai', description: 'also used for OpenAI-compatible servers' },
      { label: 'Anthropic', provider: 'anthropic', description: '' },
    ];
    const picked = await vscode.window.showQuickPick(providers, {
      title: 'Anneal: Set API Key',
      placeHolder: 'Which provider is the key for?',
    });
    if (!picked) return;
    const key = await vscode.window.showInputBox({
      title: `Anneal: ${picked.label} API Key`,
      prompt: `Paste your ${picked.label} API key. It is kept in VS Code's secret storage. Leave empty to remove the stored key.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim() === '') {
      await s.apiKeys.delete(picked.provider);
      s.log.info(`removed the ${picked.label} API key`);
      void vscode.window.showInformationMessage(`Anneal: the ${picked.label} API key was removed.`);
      return;
    }
    await s.apiKeys.set(picked.provider, key.trim());
    s.log.info(`stored an ${picked.label} API key`);
    void vscode.window.showInformationMessage(`Anneal: the ${picked.label} API key is stored.`);
  };
}
