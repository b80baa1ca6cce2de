import { basename } from 'node:path';
import * as vscode from 'vscode';
import { applyHunk, hunkAtLine, hunkBaseOffsets, revertHunk, splitHunks, type Hunk } from './hunks';
import type { PendingProposal, ProposalStore } from './proposalStore';
import { PROPOSAL_SCHEME, proposalIdOf, proposalUri } from './proposalUri';
import { textHash } from './textHash';
import { diffTitle, verdictText } from './verdictText';

/** Context key: the active editor is a proposal's diff. */
export const PROPOSAL_DIFF_ACTIVE = 'anneal.proposalDiffActive';
/** Context key: at least one proposal is pending. */
export const HAS_PENDING_PROPOSALS = 'anneal.hasPendingProposals';

export interface ProposalReviewOptions {
  store: ProposalStore;
  log: vscode.LogOutputChannel;
  /** Runs the proposal's request again on the file's current text. */
  rerun: (entry: PendingProposal) => Promise<void>;
}

/**
 * The review of proposals in VS Code's diff editor: open, approve or reject as a whole or hunk by
 * hunk. Nothing is written unless the file still has the text the proposal was made from.
 */
export class ProposalReview implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly options: ProposalReviewOptions) {
    const update = (): void => void this.updateContextKeys();
    this.disposables.push(
      vscode.window.tabGroups.onDidChangeTabs(update),
      vscode.window.tabGroups.onDidChangeTabGroups(update),
      vscode.window.onDidChangeActiveTextEditor(update),
    );
    const sub = options.store.onDidChange(update);
    this.disposables.push({ dispose: () => sub.dispose() });
    update();
  }

  /** Opens the proposal in the native diff editor: the file on the left, the proposal on the right. */
  async open(entry: PendingProposal): Promise<void> {
    const { proposal } = entry;
    const title = diffTitle(basename(proposal.file), proposal.verdict, proposal.reports);
    await vscode.commands.executeCommand(
      'vscode.diff',
      vscode.Uri.file(proposal.file),
      proposalUri(proposal),
      title,
      {
        preview: false,
      } satisfies vscode.TextDocumentShowOptions,
    );
  }

  /** Applies the whole proposal as one undoable edit, if the file is unchanged since the run. */
  async approve(entry: PendingProposal): Promise<boolean> {
    const { proposal } = entry;
    if (!(await this.checkExists(entry))) return false;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(proposal.file));
    if (!(await this.checkBase(entry, document))) return false;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, fullRange(document), proposal.newText);
    if (!(await this.applyEdit(edit, document))) return false;
    await this.finish(entry);
    // Leave the file in front so that Undo is one keystroke away.
    await vscode.window.showTextDocument(document, { preview: false });
    this.options.log.info(`approved proposal ${proposal.id} for ${proposal.file}`);
    vscode.window.setStatusBarMessage(`Anneal: applied the proposal to ${basename(proposal.file)}`, 5000);
    return true;
  }

  /** Discards the proposal; the file is not touched. */
  async reject(entry: PendingProposal): Promise<void> {
    await this.finish(entry);
    this.options.log.info(`rejected proposal ${entry.proposal.id} for ${entry.proposal.file}`);
    vscode.window.setStatusBarMessage(
      `Anneal: discarded the proposal for ${basename(entry.proposal.file)}`,
      5000,
    );
  }

  /**
   * Applies one hunk to the file. The proposal is then re-based on the new file text, so its
   * remaining hunks stay pending; with none left it is done.
   */
  async approveHunk(entry: PendingProposal, hunk: Hunk): Promise<void> {
    const { proposal } = entry;
    if (!(await this.checkExists(entry))) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(proposal.file));
    if (!(await this.checkBase(entry, document))) return;
    const { start, end } = hunkBaseOffsets(proposal.baseText, hunk);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(start), document.positionAt(end)),
      hunk.added.join(''),
    );
    if (!(await this.applyEdit(edit, document))) return;
    const baseText = document.getText();
    // The editor's text must now be the base with this hunk applied; anything else means a race.
    const expected = applyHunk(proposal.baseText, hunk);
    if (baseText !== expected)
      this.options.log.warn(`after applying a hunk, ${proposal.file} differs from the expected text`);
    await this.afterHunk(entry, { baseText, baseHash: textHash(baseText) });
  }

  /** Drops one hunk from the proposal; the file is not touched. */
  async rejectHunk(entry: PendingProposal, hunk: Hunk): Promise<void> {
    await this.afterHunk(entry, { newText: revertHunk(entry.proposal.newText, hunk) });
  }

  /**
   * The proposal a command is about: its id or document URI as argument, else the active proposal
   * diff, else the only pending one, else the user picks.
   */
  async resolve(arg: unknown): Promise<PendingProposal | undefined> {
    const { store } = this.options;
    if (typeof arg === 'string') return store.get(arg);
    if (arg instanceof vscode.Uri) {
      const id = proposalIdOf(arg);
      const byUri = id ? store.get(id) : store.forFile(arg.fsPath);
      if (byUri) return byUri;
    }
    const active = this.activeProposal();
    if (active) return active;
    const all = store.all();
    if (all.length <= 1) return all[0];
    return this.pick('Choose a pending Anneal proposal');
  }

  /** The proposal whose diff is the active editor. */
  activeProposal(): PendingProposal | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff) {
      const id = proposalIdOf(input.modified);
      if (id) return this.options.store.get(id);
    }
    const editor = vscode.window.activeTextEditor;
    const id = editor ? proposalIdOf(editor.document.uri) : undefined;
    return id ? this.options.store.get(id) : undefined;
  }

  /**
   * The hunk under the cursor in the active proposal diff (either side); `hunkIndex` picks one
   * directly. Undefined when the proposal has no hunks left.
   */
  hunkFor(entry: PendingProposal, hunkIndex?: number): Hunk | undefined {
    const hunks = splitHunks(entry.proposal.baseText, entry.proposal.newText);
    if (hunkIndex !== undefined) return hunks[hunkIndex];
    const editor = vscode.window.activeTextEditor;
    if (!editor) return hunks[0];
    const line = editor.selection.active.line;
    if (editor.document.uri.scheme === PROPOSAL_SCHEME) return hunkAtLine(hunks, line, 'new');
    if (editor.document.uri.fsPath === entry.proposal.file) return hunkAtLine(hunks, line, 'base');
    return hunks[0];
  }

  /** QuickPick over pending proposals. */
  async pick(placeHolder: string): Promise<PendingProposal | undefined> {
    const items = this.options.store.all().map((entry) => ({
      label: `$(diff) ${basename(entry.proposal.file)}`,
      description: verdictText(entry.proposal.verdict, entry.proposal.reports),
      detail: `${vscode.workspace.asRelativePath(entry.proposal.file)} · ${entry.request.goal} · ${new Date(entry.proposal.createdAt).toLocaleString()}`,
      entry,
    }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
    return picked?.entry;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /**
   * True when the file is still on disk. A deleted file's document can outlive it in memory, and
   * applying to it would save the proposal as a new file; a renamed one cannot be opened at all.
   */
  private async checkExists(entry: PendingProposal): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.file(entry.proposal.file));
      return true;
    } catch {
      const name = basename(entry.proposal.file);
      this.options.log.warn(`${entry.proposal.file} is gone; proposal ${entry.proposal.id} not applied`);
      const discard = 'Discard Proposal';
      const choice = await vscode.window.showWarningMessage(
        `${name} no longer exists (it was moved or deleted after Anneal made this proposal), so the proposal was not applied.`,
        discard,
      );
      if (choice === discard) await this.finish(entry);
      return false;
    }
  }

  /** True when the document still has the proposal's base text; otherwise says so and offers a re-run. */
  private async checkBase(entry: PendingProposal, document: vscode.TextDocument): Promise<boolean> {
    if (textHash(document.getText()) === entry.proposal.baseHash) return true;
    const name = basename(entry.proposal.file);
    this.options.log.warn(`${entry.proposal.file} changed since proposal ${entry.proposal.id}; not applied`);
    const rerun = 'Re-run Anneal';
    const discard = 'Discard Proposal';
    const choice = await vscode.window.showWarningMessage(
      `${name} has changed since Anneal made this proposal, so it was not applied. Your edits are untouched.`,
      rerun,
      discard,
    );
    if (choice === rerun) {
      await this.finish(entry);
      await this.options.rerun(entry);
    } else if (choice === discard) {
      await this.finish(entry);
    }
    return false;
  }

  private async applyEdit(edit: vscode.WorkspaceEdit, document: vscode.TextDocument): Promise<boolean> {
    const wasDirty = document.isDirty;
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) {
      void vscode.window.showErrorMessage(
        `Anneal could not apply the change to ${basename(document.fileName)}. The file is unchanged.`,
      );
      return false;
    }
    // An approved change is a change to the file; unsaved work stays unsaved, as the user left it.
    if (!wasDirty && vscode.workspace.getConfiguration('anneal').get<boolean>('saveAfterApprove', true)) {
      await document.save();
    }
    return true;
  }

  private async afterHunk(
    entry: PendingProposal,
    change: { baseText?: string; baseHash?: string; newText?: string },
  ): Promise<void> {
    const next = { ...entry.proposal, ...change };
    if (splitHunks(next.baseText, next.newText).length === 0) {
      await this.finish(entry);
      vscode.window.setStatusBarMessage(
        `Anneal: no changes left in the proposal for ${basename(next.file)}`,
        5000,
      );
      return;
    }
    await this.options.store.update(entry.proposal.id, change);
  }

  /** Removes the proposal (clearing its Problems entries) and closes its diff tabs. */
  private async finish(entry: PendingProposal): Promise<void> {
    await this.options.store.remove(entry.proposal.id);
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => {
        const input = t.input;
        const uri =
          input instanceof vscode.TabInputTextDiff
            ? input.modified
            : input instanceof vscode.TabInputText
              ? input.uri
              : undefined;
        return uri !== undefined && proposalIdOf(uri) === entry.proposal.id;
      });
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  private async updateContextKeys(): Promise<void> {
    await vscode.commands.executeCommand(
      'setContext',
      PROPOSAL_DIFF_ACTIVE,
      this.activeProposal() !== undefined,
    );
    await vscode.commands.executeCommand(
      'setContext',
      HAS_PENDING_PROPOSALS,
      this.options.store.all().length > 0,
    );
  }
}

function fullRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
}
