import type * as vscode from 'vscode';
import type { AgentClient } from './agentHost/agentClient';
import type { ApiKeyStore } from './config/apiKeys';
import type { ProposalReview } from './proposals/proposalReview';
import type { ProposalStore } from './proposals/proposalStore';
import type { RunController } from './runs/runController';

/** What command factories get: the long-lived parts wired in extension.ts. */
export interface AnnealServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  client: AgentClient;
  store: ProposalStore;
  review: ProposalReview;
  runs: RunController;
  apiKeys: ApiKeyStore;
}
