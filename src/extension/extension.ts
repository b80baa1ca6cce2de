import { join } from 'node:path';
import * as vscode from 'vscode';
import { AgentClient } from './agentHost/agentClient';
import type { AnnealServices } from './annealServices';
import { AnnealCodeActions } from './codeActions/annealCodeActions';
import { cancelRun, showLog, showPanel } from './commands/panelCommands';
import { approveProposal, decideHunk, rejectProposal, showProposals } from './commands/proposalCommands';
import { generateFunction, repairFile, repairFunction, repairSelection } from './commands/runCommands';
import { setApiKey } from './commands/settingsCommands';
import { ApiKeyStore } from './config/apiKeys';
import { AnnealDiagnostics } from './diagnostics/annealDiagnostics';
import { PlanLogPanel } from './panel/planLogPanel';
import { ProposalDocuments } from './proposals/proposalDocuments';
import { ProposalReview } from './proposals/proposalReview';
import { ProposalStore, type PendingProposal } from './proposals/proposalStore';
import { PROPOSAL_SCHEME } from './proposals/proposalUri';
import { RunController } from './runs/runController';

let client: AgentClient | undefined;

/** Wiring only. The agent host is not started here but on the first request that needs it. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Anneal', { log: true });
  context.subscriptions.push(log);
  try {
    wire(context, log);
  } catch (e) {
    log.error(`activation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void vscode.window
      .showErrorMessage('Anneal could not start. See the Anneal log for details.', 'Show Log')
      .then((c) => {
        if (c) log.show();
      });
  }
}

/** Shuts the agent host down; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  await client?.dispose();
  client = undefined;
}

function wire(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const version = (context.extension.packageJSON as { version?: string }).version;
  const agent = new AgentClient({
    agentPath: join(context.extensionUri.fsPath, 'dist', 'agent.js'),
    clientName: 'vscode',
    ...(version ? { clientVersion: version } : {}),
    log: (level, message) => log[level](message),
    onGaveUp: (message) => {
      void vscode.window.showErrorMessage(message, 'Show Log').then((c) => {
        if (c) log.show();
      });
    },
  });
  client = agent;
  context.subscriptions.push({ dispose: () => void agent.dispose() });

  const store = new ProposalStore(context.workspaceState);
  const diagnostics = new AnnealDiagnostics(store);
  const documents = new ProposalDocuments(store);
  const apiKeys = new ApiKeyStore(context.secrets);
  // The review re-runs a stale proposal through the run controller, which itself opens reviews.
  const review = new ProposalReview({ store, log, rerun: (entry) => rerunProposal(entry) });
  const runs = new RunController({
    extensionUri: context.extensionUri,
    client: agent,
    store,
    review,
    diagnostics,
    apiKeys: () => apiKeys.all(),
    log,
  });
  const rerunProposal = (entry: PendingProposal): Promise<void> =>
    runs.run({
      uri: vscode.Uri.file(entry.proposal.file),
      goal: entry.request.goal,
      target: entry.request.target,
      ...(entry.request.instruction ? { instruction: entry.request.instruction } : {}),
      label:
        entry.request.target.kind === 'symbol'
          ? entry.request.target.name
          : vscode.workspace.asRelativePath(entry.proposal.file),
    });
  context.subscriptions.push(diagnostics, documents, review, runs);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, documents),
  );
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PlanLogPanel.viewType, {
      deserializeWebviewPanel: async (panel) => {
        PlanLogPanel.revive(panel, context.extensionUri, log);
      },
    }),
  );
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      { scheme: 'file' },
      new AnnealCodeActions(),
      AnnealCodeActions.metadata,
    ),
  );

  const services: AnnealServices = {
    extensionUri: context.extensionUri,
    log,
    client: agent,
    store,
    review,
    runs,
    apiKeys,
  };
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'anneal.generateFunction': generateFunction(services),
    'anneal.repairFunction': repairFunction(services),
    'anneal.repairSelection': repairSelection(services),
    'anneal.repairFile': repairFile(services),
    'anneal.approveProposal': approveProposal(services),
    'anneal.rejectProposal': rejectProposal(services),
    'anneal.approveHunk': decideHunk(services, 'approve'),
    'anneal.rejectHunk': decideHunk(services, 'reject'),
    'anneal.showProposals': showProposals(services),
    'anneal.showPanel': showPanel(services),
    'anneal.cancelRun': cancelRun(services),
    'anneal.showLog': showLog(services),
    'anneal.setApiKey': setApiKey(services),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, handler, log)));
  }
  // A proposal decided in the diff editor (or gone stale) stops being offered in the panel.
  let pendingIds = new Set(store.all().map((p) => p.proposal.id));
  const storeWatch = store.onDidChange(() => {
    const now = new Set(store.all().map((p) => p.proposal.id));
    for (const id of pendingIds) if (!now.has(id)) PlanLogPanel.current()?.forgetProposal(id);
    pendingIds = now;
  });
  context.subscriptions.push({ dispose: () => storeWatch.dispose() });
  const pending = store.all().length;
  if (pending > 0) log.info(`${pending} pending proposal(s) restored`);
}

/** A command that throws gets a message and a log entry, never a raw stack in the UI. */
function guarded(id: string, handler: (...args: unknown[]) => unknown, log: vscode.LogOutputChannel) {
  return async (...args: unknown[]): Promise<void> => {
    try {
      await handler(...args);
    } catch (e) {
      log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      const choice = await vscode.window.showErrorMessage(
        `Anneal: ${e instanceof Error ? e.message : String(e)}`,
        'Show Log',
      );
      if (choice) log.show();
    }
  };
}
