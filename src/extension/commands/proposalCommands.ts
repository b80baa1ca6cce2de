import * as vscode from 'vscode';
import type { AnnealServices } from '../annealServices';

/** anneal.approveProposal: apply the whole proposal (undoable), if the file is unchanged. */
export function approveProposal(s: AnnealServices) {
  return async (arg?: unknown): Promise<void> => {
    const entry = await s.review.resolve(arg);
    if (!entry) return void noProposalMessage();
    await s.review.approve(entry);
  };
}

/** anneal.rejectProposal: discard the proposal; the file is not touched. */
export function rejectProposal(s: AnnealServices) {
  return async (arg?: unknown): Promise<void> => {
    const entry = await s.review.resolve(arg);
    if (!entry) return void noProposalMessage();
    await s.review.reject(entry);
  };
}

/** anneal.approveHunk / anneal.rejectHunk: act on the hunk under the cursor in the proposal diff. */
export function decideHunk(s: AnnealServices, decision: 'approve' | 'reject') {
  return async (arg?: unknown, hunkIndex?: unknown): Promise<void> => {
    const entry = await s.review.resolve(arg);
    if (!entry) return void noProposalMessage();
    const hunk = s.review.hunkFor(entry, typeof hunkIndex === 'number' ? hunkIndex : undefined);
    if (!hunk) {
      void vscode.window.showInformationMessage('This Anneal proposal has no changes left.');
      return;
    }
    if (decision === 'approve') await s.review.approveHunk(entry, hunk);
    else await s.review.rejectHunk(entry, hunk);
  };
}

/** anneal.showProposals: pick a pending proposal and open its diff. */
export function showProposals(s: AnnealServices) {
  return async (): Promise<void> => {
    if (s.store.all().length === 0) {
      void vscode.window.showInformationMessage('There are no pending Anneal proposals.');
      return;
    }
    const entry = await s.review.pick('Pending Anneal proposals: choose one to review');
    if (entry) await s.review.open(entry);
  };
}

function noProposalMessage(): void {
  void vscode.window.showInformationMessage(
    'There is no pending Anneal proposal here. Run Anneal: Show Proposals to see them all.',
  );
}
