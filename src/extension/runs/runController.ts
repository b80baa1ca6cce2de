import { randomUUID } from 'node:crypto';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { RunRequest, type ApiKeys, type RunParams, type RunTarget } from '../../protocol/agentProtocol';
import { Proposal } from '../../protocol/proposal';
import type { RunLog } from '../../protocol/runLog';
import type { AgentClient } from '../agentHost/agentClient';
import { AnnealClientError } from '../agentHost/annealClientError';
import { runSettingsFromConfig } from '../config/runSettings';
import type { AnnealDiagnostics } from '../diagnostics/annealDiagnostics';
import { PlanLogPanel } from '../panel/planLogPanel';
import type { ProposalReview } from '../proposals/proposalReview';
import type { PendingProposal, ProposalStore } from '../proposals/proposalStore';
import { verdictText } from '../proposals/verdictText';
import { MANAGE_TRUST, ensureTrusted } from '../trust/workspaceTrust';

/** One run the user asked for. */
export interface RunSpec {
  uri: vscode.Uri;
  goal: 'repair' | 'generate';
  target: RunTarget;
  instruction?: string;
  /** How the target is named in messages: `add`, `lines 3–7`, `cart.ts`. */
  label: string;
}

export interface RunControllerOptions {
  extensionUri: vscode.Uri;
  client: AgentClient;
  store: ProposalStore;
  review: ProposalReview;
  diagnostics: AnnealDiagnostics;
  apiKeys: () => Promise<ApiKeys>;
  log: vscode.LogOutputChannel;
}

interface ActiveRun {
  spec: RunSpec;
  cancel: vscode.CancellationTokenSource;
  progress?: vscode.Progress<{ message?: string }>;
  lastLog?: RunLog;
}

/** Context key: at least one run is in progress. */
export const RUN_IN_PROGRESS = 'anneal.runInProgress';

const SHOW_LOG = 'Show Log';
const SHOW_PANEL = 'Show Panel';
const SET_API_KEY = 'Set API Key';
const OPEN_SETTINGS = 'Open Settings';

/**
 * Runs the engine on a target with a progress notification (Cancel → $/cancelRequest → the
 * agent's AbortSignal) and a status bar item, and turns the result into a proposal under review.
 */
export class RunController implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly statusBar = vscode.window.createStatusBarItem(
    'anneal.run',
    vscode.StatusBarAlignment.Left,
    100,
  );
  private readonly disposables: vscode.Disposable[] = [];
  private lastRun: { runLog: RunLog; proposal?: Proposal } | undefined;

  constructor(private readonly options: RunControllerOptions) {
    this.statusBar.name = 'Anneal';
    this.statusBar.command = 'anneal.showPanel';
    const step = options.client.onDidStep(({ runId, step }) => {
      const run = this.active.get(runId);
      if (run?.progress && step.status === 'running') run.progress.report({ message: step.name });
    });
    const log = options.client.onDidUpdateLog(({ runId, runLog }) => {
      const run = this.active.get(runId);
      if (run) run.lastLog = runLog;
      this.lastRun = { runLog };
      this.updatePanel(() => PlanLogPanel.current()?.showRun(runLog));
    });
    this.disposables.push(
      this.statusBar,
      { dispose: () => step.dispose() },
      { dispose: () => log.dispose() },
    );
  }

  /** Runs, then opens the proposal; every failure ends in a message and leaves the file as it was. */
  async run(spec: RunSpec): Promise<void> {
    if (!ensureTrusted()) return;
    const file = spec.uri.fsPath;
    const name = basename(file);
    if ([...this.active.values()].some((r) => r.spec.uri.fsPath === file)) {
      void vscode.window.showInformationMessage(`Anneal is already working on ${name}.`);
      return;
    }
    const pending = this.options.store.forFile(file);
    if (pending && !(await this.confirmReplace(pending))) return;

    const document = await vscode.workspace.openTextDocument(spec.uri);
    const config = vscode.workspace.getConfiguration('anneal', spec.uri);
    const { settings, problems } = runSettingsFromConfig((key) => config.get(key));
    for (const p of problems) this.options.log.warn(p);
    const params: RunParams = {
      runId: randomUUID(),
      goal: spec.goal,
      file,
      text: document.getText(),
      target: spec.target,
      ...(spec.instruction ? { instruction: spec.instruction } : {}),
      workspaceRoot: vscode.workspace.getWorkspaceFolder(spec.uri)?.uri.fsPath ?? dirname(file),
      trusted: vscode.workspace.isTrusted,
      settings,
      apiKeys: await this.options.apiKeys(),
    };
    this.options.diagnostics.clearFailedRun(file);
    const run: ActiveRun = { spec, cancel: new vscode.CancellationTokenSource() };
    this.active.set(params.runId, run);
    this.updateStatusBar();
    this.options.log.info(`run ${params.runId}: ${spec.goal} ${spec.label} in ${file}`);

    const verb = spec.goal === 'repair' ? 'Repairing' : 'Generating';
    try {
      const proposal = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Anneal: ${verb} ${spec.label}`,
          cancellable: true,
        },
        (progress, token) => {
          run.progress = progress;
          const sub = token.onCancellationRequested(() => run.cancel.cancel());
          return this.options.client
            .request(RunRequest, params, {
              token: run.cancel.token,
              // The engine bounds the run itself; past this the host is treated as hung.
              timeoutMs: settings.timeoutMs + 30_000,
              result: Proposal,
            })
            .finally(() => sub.dispose());
        },
      );
      await this.onProposal(spec, proposal);
    } catch (e) {
      this.onFailure(spec, run, e);
    } finally {
      run.cancel.dispose();
      this.active.delete(params.runId);
      this.updateStatusBar();
    }
  }

  /** Cancels every run in progress. */
  cancelAll(): void {
    for (const run of this.active.values()) run.cancel.cancel();
  }

  /** Opens the plan-log panel on the latest run. */
  showPanel(): void {
    const panel = PlanLogPanel.createOrShow(this.options.extensionUri, this.options.log);
    const last = this.lastRun;
    if (last) panel.showRun(last.runLog, panelProposal(last.proposal));
  }

  dispose(): void {
    this.cancelAll();
    for (const d of this.disposables) d.dispose();
  }

  private async onProposal(spec: RunSpec, proposal: Proposal): Promise<void> {
    this.lastRun = { runLog: proposal.runLog, proposal };
    this.updatePanel(() => PlanLogPanel.current()?.showRun(proposal.runLog, panelProposal(proposal)));
    const name = basename(proposal.file);
    const verdict = verdictText(proposal.verdict, proposal.reports);
    this.options.log.info(`run ${proposal.runLog.runId}: ${verdict}`);
    if (proposal.newText === proposal.baseText) {
      if (proposal.verdict === 'validated') {
        void vscode.window.showInformationMessage(
          `Anneal found nothing to change in ${spec.label}: ${name} validates.`,
        );
      } else {
        this.options.diagnostics.setFailedRun(proposal.file, proposal.reports);
        this.offer(
          vscode.window.showWarningMessage(
            `Anneal could not change ${spec.label} (${verdict}). ${proposal.runLog.message}`.trim(),
            SHOW_PANEL,
            // Errors that only a model can fix: offer the way to configure one.
            ...(proposal.verdict === 'needs_model' ? [SET_API_KEY, OPEN_SETTINGS] : []),
          ),
        );
      }
      return;
    }
    const entry: PendingProposal = {
      proposal,
      request: {
        goal: spec.goal,
        target: spec.target,
        ...(spec.instruction ? { instruction: spec.instruction } : {}),
      },
    };
    await this.options.store.put(entry);
    await this.options.review.open(entry);
    if (proposal.verdict !== 'validated') {
      // Errors remain: put the plan log next to the diff so the user sees why.
      this.updatePanel(() =>
        PlanLogPanel.createOrShow(this.options.extensionUri, this.options.log).showRun(
          proposal.runLog,
          panelProposal(proposal),
        ),
      );
    }
  }

  private onFailure(spec: RunSpec, run: ActiveRun, e: unknown): void {
    const error = AnnealClientError.is(e)
      ? e
      : new AnnealClientError('internal', e instanceof Error ? e.message : String(e), 'See the Anneal log.');
    if (error.reason === 'cancelled') {
      this.options.log.info(`run on ${spec.uri.fsPath} cancelled`);
      void vscode.window.showInformationMessage(
        `Anneal: the run on ${spec.label} was cancelled. Nothing was changed.`,
      );
      return;
    }
    this.options.log.error(`run on ${spec.uri.fsPath} failed (${error.reason}): ${error.message}`);
    const reports = run.lastLog
      ? run.lastLog.reportsAfter.length > 0
        ? run.lastLog.reportsAfter
        : run.lastLog.reportsBefore
      : [];
    if (reports.length > 0) this.options.diagnostics.setFailedRun(spec.uri.fsPath, reports);
    const actions: string[] = [];
    if (error.reason === 'auth' || error.reason === 'needsModel') actions.push(SET_API_KEY, OPEN_SETTINGS);
    if (error.reason === 'untrusted') actions.push(MANAGE_TRUST);
    actions.push(SHOW_LOG);
    // Provider messages already end with what to do; the hint is added only when it says more.
    const hint = error.hint && !error.message.includes(error.hint.trim()) ? ` ${error.hint}` : '';
    const text = `Anneal: ${error.message}${hint}`;
    this.offer(vscode.window.showErrorMessage(text, ...actions));
  }

  /** The panel is a view of the run: if it fails, the run and its proposal still stand. */
  private updatePanel(update: () => void): void {
    try {
      update();
    } catch (e) {
      this.options.log.error(`plan log panel: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Acts on a notification's button. */
  private offer(choice: Thenable<string | undefined>): void {
    void choice.then((c) => {
      switch (c) {
        case SHOW_LOG:
          this.options.log.show(true);
          break;
        case SHOW_PANEL:
          this.showPanel();
          break;
        case SET_API_KEY:
          void vscode.commands.executeCommand('anneal.setApiKey');
          break;
        case OPEN_SETTINGS:
          void vscode.commands.executeCommand('workbench.action.openSettings', 'anneal.');
          break;
        case MANAGE_TRUST:
          void vscode.commands.executeCommand('workbench.trust.manage');
          break;
      }
    });
  }

  private async confirmReplace(pending: PendingProposal): Promise<boolean> {
    const replace = 'Discard and Run Again';
    const open = 'Open Proposal';
    const choice = await vscode.window.showWarningMessage(
      `${basename(pending.proposal.file)} already has a pending Anneal proposal. Discard it and run again?`,
      { modal: true },
      replace,
      open,
    );
    if (choice === open) await this.options.review.open(pending);
    if (choice !== replace) return false;
    await this.options.store.remove(pending.proposal.id);
    return true;
  }

  private updateStatusBar(): void {
    const runs = [...this.active.values()];
    void vscode.commands.executeCommand('setContext', RUN_IN_PROGRESS, runs.length > 0);
    if (runs.length === 0) {
      this.statusBar.hide();
      return;
    }
    const first = runs[0]!;
    const verb = first.spec.goal === 'repair' ? 'repairing' : 'generating';
    this.statusBar.text =
      runs.length === 1
        ? `$(sync~spin) Anneal: ${verb} ${first.spec.label}`
        : `$(sync~spin) Anneal: ${runs.length} runs`;
    const tooltip = new vscode.MarkdownString(
      `Anneal is ${verb} ${first.spec.label}.\n\n[Show Panel](command:anneal.showPanel) · [Cancel](command:anneal.cancelRun)`,
    );
    tooltip.isTrusted = { enabledCommands: ['anneal.showPanel', 'anneal.cancelRun'] };
    this.statusBar.tooltip = tooltip;
    this.statusBar.show();
  }
}

function panelProposal(proposal: Proposal | undefined) {
  return proposal ? { id: proposal.id, verdict: proposal.verdict, reports: proposal.reports } : undefined;
}
