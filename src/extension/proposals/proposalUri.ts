import * as vscode from 'vscode';
import type { Proposal } from '../../protocol/proposal';

/** Scheme of the read-only documents that show a proposal's text in the diff editor. */
export const PROPOSAL_SCHEME = 'anneal-proposal';

/** Same path as the file (so the language and the tab name match), the proposal id in the query. */
export function proposalUri(proposal: Pick<Proposal, 'id' | 'file'>): vscode.Uri {
  return vscode.Uri.file(proposal.file).with({
    scheme: PROPOSAL_SCHEME,
    query: `id=${encodeURIComponent(proposal.id)}`,
  });
}

export function proposalIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  return new URLSearchParams(uri.query).get('id') ?? undefined;
}
