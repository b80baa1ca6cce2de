import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

// Helpers for the integration tests that run inside the extension host. The tests live inside
// the extension's folder, so `require('vscode')` gives them the very API object the extension
// uses: replacing `window.show*Message` here sees (and answers) what the extension shows.

/** The opened workspace folder (a fresh copy of test/fixtures/e2e-workspace). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration run has no workspace folder');
  return folder.uri.fsPath;
}

/** Writes a workspace file through VS Code and returns its URI. */
export async function writeFile(relativePath: string, content: string | Uint8Array): Promise<vscode.Uri> {
  const uri = vscode.Uri.file(join(workspaceRoot(), relativePath));
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  await vscode.workspace.fs.writeFile(uri, bytes);
  return uri;
}

/** Sets `anneal.*` settings in the workspace (undefined removes one). */
export async function configure(settings: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('anneal');
  for (const [key, value] of Object.entries(settings)) {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}

/** Polls until `probe` returns something other than undefined/false/null. */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeout?: number; interval?: number; message?: string } = {},
): Promise<T> {
  const timeout = options.timeout ?? 20_000;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${options.message ?? 'a condition'}${why}`);
    }
    await new Promise((r) => setTimeout(r, options.interval ?? 50));
  }
}

export type MessageLevel = 'info' | 'warning' | 'error';

export interface ShownMessage {
  level: MessageLevel;
  text: string;
  items: string[];
  modal: boolean;
}

/** Picks the button to "click" for a message; undefined dismisses it. */
export type MessageResponder = (message: ShownMessage) => string | undefined;

/**
 * Records every notification the extension shows (info, warning, error) and answers it with
 * `respond` (default: dismissed). `dispose()` puts the real functions back.
 */
export class MessageRecorder implements vscode.Disposable {
  readonly messages: ShownMessage[] = [];
  respond: MessageResponder = () => undefined;
  /** Titles/placeholders of quick picks shown; `pick` chooses an item by label (default: none). */
  readonly quickPicks: string[] = [];
  pick: (labels: string[]) => string | undefined = () => undefined;
  /** Input boxes shown (their prompts); `input` answers them (default: cancelled). */
  readonly inputBoxes: { prompt: string; password: boolean }[] = [];
  input: () => string | undefined = () => undefined;
  private readonly originals: Record<MessageLevel, unknown>;
  private readonly originalPick: unknown;
  private readonly originalInput: unknown;

  constructor() {
    const w = vscode.window as unknown as Record<string, unknown>;
    this.originals = {
      info: w.showInformationMessage,
      warning: w.showWarningMessage,
      error: w.showErrorMessage,
    };
    const names: Record<MessageLevel, string> = {
      info: 'showInformationMessage',
      warning: 'showWarningMessage',
      error: 'showErrorMessage',
    };
    for (const level of ['info', 'warning', 'error'] as const) {
      w[names[level]] = (text: string, ...rest: unknown[]) => {
        const modal =
          typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as { modal?: boolean }).modal === true;
        const items = rest
          .filter((r) => typeof r === 'string' || (typeof r === 'object' && r !== null && 'title' in r))
          .map((r) => (typeof r === 'string' ? r : (r as { title: string }).title));
        const message: ShownMessage = { level, text, items, modal };
        this.messages.push(message);
        return Promise.resolve(this.respond(message));
      };
    }
    this.originalPick = w.showQuickPick;
    this.originalInput = w.showInputBox;
    w.showQuickPick = async (
      items:
        readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>,
      options?: vscode.QuickPickOptions,
    ) => {
      const list = await items;
      this.quickPicks.push(options?.title ?? options?.placeHolder ?? '');
      const labels = list.map((i) => (typeof i === 'string' ? i : i.label));
      const chosen = this.pick(labels);
      return chosen === undefined ? undefined : list[labels.indexOf(chosen)];
    };
    w.showInputBox = (options?: vscode.InputBoxOptions) => {
      this.inputBoxes.push({ prompt: options?.prompt ?? '', password: options?.password === true });
      return Promise.resolve(this.input());
    };
  }

  /** Waits for a message whose text matches and returns it. */
  async next(text: RegExp, level?: MessageLevel, timeout = 20_000): Promise<ShownMessage> {
    return waitFor(() => this.messages.find((m) => text.test(m.text) && (!level || m.level === level)), {
      timeout,
      message: `a ${level ?? ''} message matching ${String(text)}; shown: ${JSON.stringify(this.messages.map((m) => m.text))}`,
    });
  }

  clear(): void {
    this.messages.length = 0;
  }

  dispose(): void {
    const w = vscode.window as unknown as Record<string, unknown>;
    w.showInformationMessage = this.originals.info;
    w.showWarningMessage = this.originals.warning;
    w.showErrorMessage = this.originals.error;
    w.showQuickPick = this.originalPick;
    w.showInputBox = this.originalInput;
  }
}

/** Diff tabs whose right side is an Anneal proposal. */
export function proposalTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'anneal-proposal',
    );
}

/** The open proposal diff tab for a file. */
export function proposalTabFor(file: vscode.Uri): vscode.Tab | undefined {
  return proposalTabs().find(
    (t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.fsPath === file.fsPath,
  );
}

/** Waits for the proposal diff of `file` and returns its tab. */
export async function waitForProposal(file: vscode.Uri, timeout = 60_000): Promise<vscode.Tab> {
  const tab = await waitFor(() => proposalTabFor(file), {
    timeout,
    message: `the proposal diff for ${file.fsPath}`,
  });
  remember(tab);
  return tab;
}

/** The proposal's text as the diff shows it. */
export async function proposalText(tab: vscode.Tab): Promise<string> {
  if (!(tab.input instanceof vscode.TabInputTextDiff)) throw new Error(`${tab.label} is not a diff`);
  const doc = await vscode.workspace.openTextDocument(tab.input.modified);
  return doc.getText();
}

/** Closes every editor without a save prompt: unsaved test buffers (untitled too) are reverted. */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled')) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

const seenProposals = new Map<string, vscode.Uri>();

/**
 * Rejects every proposal a test has seen (by its document URI, so no picker is involved),
 * so that one test's leftovers never ask questions in the next.
 */
export async function rejectAllProposals(): Promise<void> {
  for (const tab of proposalTabs()) remember(tab);
  for (const [key, uri] of seenProposals) {
    seenProposals.delete(key);
    await vscode.commands.executeCommand('anneal.rejectProposal', uri);
  }
}

function remember(tab: vscode.Tab): void {
  if (tab.input instanceof vscode.TabInputTextDiff)
    seenProposals.set(tab.input.modified.toString(), tab.input.modified);
}

/** The proposal document URI (`anneal-proposal:`) of an open proposal diff. */
export function proposalUriOf(tab: vscode.Tab): vscode.Uri {
  if (!(tab.input instanceof vscode.TabInputTextDiff)) throw new Error(`${tab.label} is not a diff`);
  return tab.input.modified;
}

/** Pids of the agent hosts this extension host has forked (children running dist/agent.js). */
export function agentHostPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/dist[/\\]agent\.js/.test(cmdline)) pids.push(Number(entry));
    } catch {
      // The process went away while we looked.
    }
  }
  return pids;
}

/** The process state letter (R, S, T, Z…) or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Runs an Anneal command like a menu does: with the file's URI and a position in it. */
export async function runAt(
  command: 'anneal.repairFunction' | 'anneal.generateFunction',
  uri: vscode.Uri,
  line: number,
  character = 0,
): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand(command, uri, new vscode.Position(line, character));
}

/** 0-based line of the first line containing `text`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in the text`);
  return i;
}
