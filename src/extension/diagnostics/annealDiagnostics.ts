import * as vscode from 'vscode';
import type { ValidationReport } from '../../protocol/reports';
import type { ProposalStore } from '../proposals/proposalStore';
import { proposalUri } from '../proposals/proposalUri';
import { groupReportsByFile, type DiagnosticData } from './reportMapping';

/**
 * The Problems entries Anneal owns: the reports of every pending proposal (on the proposal
 * document and on the file) and of runs that failed. Rebuilt from that state on every change,
 * so approving or rejecting a proposal clears its entries.
 */
export class AnnealDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('anneal');
  private readonly failedRuns = new Map<string, ValidationReport[]>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ProposalStore) {
    this.subscription = store.onDidChange(() => this.refresh());
    this.refresh();
  }

  /** Shows the errors of a run that produced no proposal; replaces earlier ones for that file. */
  setFailedRun(file: string, reports: readonly ValidationReport[]): void {
    this.failedRuns.set(file, [...reports]);
    this.refresh();
  }

  clearFailedRun(file: string): void {
    if (this.failedRuns.delete(file)) this.refresh();
  }

  refresh(): void {
    const entries = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    const add = (uri: vscode.Uri, data: readonly DiagnosticData[]): void => {
      const key = uri.toString();
      const entry = entries.get(key) ?? { uri, diagnostics: [] };
      entry.diagnostics.push(...data.map(toDiagnostic));
      entries.set(key, entry);
    };
    for (const { proposal } of this.store.all()) {
      for (const [file, data] of groupReportsByFile(proposal.reports)) {
        add(vscode.Uri.file(file), data);
        if (file === proposal.file) add(proposalUri(proposal), data);
      }
    }
    for (const reports of this.failedRuns.values()) {
      for (const [file, data] of groupReportsByFile(reports)) add(vscode.Uri.file(file), data);
    }
    this.collection.clear();
    for (const { uri, diagnostics } of entries.values()) this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

/** The one place where the protocol's 0-based positions become a vscode.Range. */
export function toDiagnostic(d: DiagnosticData): vscode.Diagnostic {
  const range = new vscode.Range(d.startLine, d.startCharacter, d.endLine, d.endCharacter);
  const severity =
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, d.message, severity);
  diagnostic.source = d.source;
  diagnostic.code = d.code;
  return diagnostic;
}
