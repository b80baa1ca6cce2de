import * as vscode from 'vscode';
import type { ProposalStore } from './proposalStore';
import { PROPOSAL_SCHEME, proposalIdOf } from './proposalUri';

/** Serves the proposal's new text to the diff editor's right side; refreshes when it changes. */
export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ProposalStore) {
    this.subscription = store.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme === PROPOSAL_SCHEME) this.changed.fire(doc.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = proposalIdOf(uri);
    const entry = id ? this.store.get(id) : undefined;
    // Approved or rejected: the tab is being closed; an empty side is what it would show.
    return entry?.proposal.newText ?? '';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
