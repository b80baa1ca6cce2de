import * as vscode from 'vscode';
import type { ValidationReport } from '../../protocol/reports';
import type { RunLog } from '../../protocol/runLog';
import { StateMessage, type ExtensionToWebviewMessage } from '../../protocol/webviewProtocol';
import { buildPanelHtml, createNonce } from './panelHtml';
import { routeWebviewMessage } from './routeWebviewMessage';

/**
 * The plan-log panel: one per window. The webview keeps its own view state (`setState`), so the
 * context is not retained when hidden; on every load it says `ready` and gets the latest state.
 */
export class PlanLogPanel {
  static readonly viewType = 'anneal.planLog';
  private static instance: PlanLogPanel | undefined;

  private latest: StateMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private log: vscode.LogOutputChannel | undefined,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
  }

  /** Reveals the panel (beside the editor, without taking focus), creating it if needed. */
  static createOrShow(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): PlanLogPanel {
    const existing = PlanLogPanel.instance;
    if (existing) {
      existing.log = log;
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PlanLogPanel.viewType,
      'Anneal Plan Log',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    PlanLogPanel.instance = new PlanLogPanel(panel, extensionUri, log);
    return PlanLogPanel.instance;
  }

  /** The open panel, if any. */
  static current(): PlanLogPanel | undefined {
    return PlanLogPanel.instance;
  }

  /** Adopts a panel VS Code restored after a reload; the webview repaints from its saved state. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    log?: vscode.LogOutputChannel,
  ): PlanLogPanel {
    PlanLogPanel.instance?.dispose();
    PlanLogPanel.instance = new PlanLogPanel(panel, extensionUri, log);
    return PlanLogPanel.instance;
  }

  /** Shows `runLog` (the latest snapshot; call again on every change) and its proposal, if any. */
  showRun(runLog: RunLog, proposal?: { id: string; verdict: string; reports: ValidationReport[] }): void {
    const candidate = { type: 'state', runLog, ...(proposal ? { proposal } : {}) };
    const parsed = StateMessage.safeParse(candidate);
    if (!parsed.success) {
      // The webview would drop it anyway; say why here, where it can be fixed.
      this.log?.error(
        `Plan log: run ${runLog.runId} does not match the panel protocol: ${parsed.error.message}`,
      );
      return;
    }
    this.latest = parsed.data;
    this.post(parsed.data);
  }

  /**
   * Drops the Approve / Reject buttons once `proposalId` is decided, wherever that happened
   * (panel, diff title bar, command palette). A no-op for a proposal the panel is not showing.
   */
  forgetProposal(proposalId: string): void {
    if (this.latest?.proposal?.id !== proposalId) return;
    this.latest = { type: 'state', runLog: this.latest.runLog };
    this.post(this.latest);
  }

  /** Empties the panel. */
  clear(): void {
    this.latest = undefined;
    this.post({ type: 'clear' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (PlanLogPanel.instance === this) PlanLogPanel.instance = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private html(): string {
    const asset = (name: string) =>
      this.panel.webview
        .asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name))
        .toString();
    return buildPanelHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: createNonce(),
      scriptUri: asset('main.js'),
      styleUri: asset('main.css'),
      codiconUri: asset('codicon.css'),
    });
  }

  private post(message: ExtensionToWebviewMessage): void {
    if (this.disposed) return;
    // A hidden webview drops messages; it asks again with `ready` when shown.
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => {
      this.log?.warn(`Plan log: could not post to the panel: ${String(e)}`);
    });
  }

  private receive(raw: unknown): void {
    const request = routeWebviewMessage(raw, this.latest);
    switch (request.kind) {
      case 'ignore':
        this.log?.warn(`Plan log: ignored ${request.reason}`);
        return;
      case 'resend':
        if (request.state) this.post(request.state);
        return;
      case 'reveal':
        void this.reveal(request.file, request.line, request.character);
        return;
      case 'command':
        // The webview disables its buttons on click; sending the state again re-enables them if
        // the proposal is still pending (say the file changed and approval was refused).
        void vscode.commands.executeCommand(request.command, request.proposalId).then(
          () => this.resendIfShowing(request.proposalId),
          (e: unknown) => {
            this.log?.error(`Plan log: ${request.command} failed: ${String(e)}`);
            this.resendIfShowing(request.proposalId);
          },
        );
        return;
    }
  }

  private resendIfShowing(proposalId: string): void {
    if (this.latest?.proposal?.id === proposalId) this.post(this.latest);
  }

  private async reveal(file: string, line: number, character: number): Promise<void> {
    const uri = vscode.Uri.file(file);
    const position = new vscode.Position(line, character);
    const visible = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === uri.toString(),
    );
    try {
      await vscode.window.showTextDocument(uri, {
        viewColumn:
          visible?.viewColumn ?? vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One,
        selection: new vscode.Range(position, position),
        preserveFocus: false,
        preview: true,
      });
    } catch (e) {
      this.log?.error(`Plan log: could not open ${file}: ${String(e)}`);
      void vscode.window.showErrorMessage(`Anneal could not open ${file}. Check that the file still exists.`);
    }
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    // The webview saves its own view state; retaining the whole context costs memory for nothing.
    retainContextWhenHidden: false,
  };
}

/**
 * Restores the panel after a window reload. Also needs `onWebviewPanel:anneal.planLog` in
 * `activationEvents`. Registered with `context.subscriptions`; returned for callers who want it.
 */
export function registerPlanLogPanelSerializer(
  context: vscode.ExtensionContext,
  log?: vscode.LogOutputChannel,
): vscode.Disposable {
  const registration = vscode.window.registerWebviewPanelSerializer(PlanLogPanel.viewType, {
    deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      PlanLogPanel.revive(panel, context.extensionUri, log);
      return Promise.resolve();
    },
  });
  context.subscriptions.push(registration);
  return registration;
}
