/**
 * The extension ↔ plan-log webview channel (`webview.postMessage` / `acquireVsCodeApi().postMessage`).
 * Each side parses what it receives with these schemas and drops anything that does not match.
 * Bundled into the webview too: no 'vscode', no node:*.
 */
import * as z from 'zod';
import { ValidationReport } from './reports';
import { RunLog } from './runLog';

/** The proposal a finished run produced, as far as the panel needs it (approve / reject). */
export const PanelProposal = z.object({
  id: z.string().min(1),
  verdict: z.string(),
  /** Errors and warnings the proposal still has. */
  reports: z.array(ValidationReport),
});
export type PanelProposal = z.infer<typeof PanelProposal>;

/** extension → webview: the latest snapshot of a run (sent live during the run and on `ready`). */
export const StateMessage = z.strictObject({
  type: z.literal('state'),
  runLog: RunLog,
  proposal: PanelProposal.optional(),
});
export type StateMessage = z.infer<typeof StateMessage>;

/** extension → webview: forget the shown run and show the empty panel. */
export const ClearMessage = z.strictObject({ type: z.literal('clear') });
export type ClearMessage = z.infer<typeof ClearMessage>;

/** Every message the extension may send to the webview. */
export const ExtensionToWebviewMessage = z.discriminatedUnion('type', [StateMessage, ClearMessage]);
export type ExtensionToWebviewMessage = z.infer<typeof ExtensionToWebviewMessage>;

/** webview → extension: the script has loaded; answer with the current state, if any. */
export const ReadyMessage = z.strictObject({ type: z.literal('ready') });
export type ReadyMessage = z.infer<typeof ReadyMessage>;

/** webview → extension: open `file` in an editor with the cursor at 0-based `line`/`character`. */
export const RevealMessage = z.strictObject({
  type: z.literal('reveal'),
  file: z.string().min(1),
  line: z.number().int().nonnegative(),
  character: z.number().int().nonnegative(),
});
export type RevealMessage = z.infer<typeof RevealMessage>;

/** webview → extension: the user pressed Approve for the proposal shown in the panel. */
export const ApproveMessage = z.strictObject({
  type: z.literal('approve'),
  proposalId: z.string().min(1),
});
export type ApproveMessage = z.infer<typeof ApproveMessage>;

/** webview → extension: the user pressed Reject for the proposal shown in the panel. */
export const RejectMessage = z.strictObject({
  type: z.literal('reject'),
  proposalId: z.string().min(1),
});
export type RejectMessage = z.infer<typeof RejectMessage>;

/** Every message the webview may send to the extension. */
export const WebviewToExtensionMessage = z.discriminatedUnion('type', [
  ReadyMessage,
  RevealMessage,
  ApproveMessage,
  RejectMessage,
]);
export type WebviewToExtensionMessage = z.infer<typeof WebviewToExtensionMessage>;
