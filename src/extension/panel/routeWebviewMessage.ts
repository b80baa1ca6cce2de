/**
 * Decides what a message from the plan-log webview asks the extension to do. Pure (no 'vscode'):
 * the webview renders untrusted text, so everything it sends is parsed and checked against what
 * the panel is showing before anything happens.
 */
import { WebviewToExtensionMessage, type StateMessage } from '../../protocol/webviewProtocol';

export type PanelRequest =
  /** Send the latest state again (nothing when there is none: the webview keeps what it restored). */
  | { kind: 'resend'; state: StateMessage | undefined }
  | { kind: 'reveal'; file: string; line: number; character: number }
  | { kind: 'command'; command: 'anneal.approveProposal' | 'anneal.rejectProposal'; proposalId: string }
  | { kind: 'ignore'; reason: string };

export function routeWebviewMessage(raw: unknown, shown: StateMessage | undefined): PanelRequest {
  const parsed = WebviewToExtensionMessage.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'ignore', reason: `a message that does not match the protocol: ${parsed.error.message}` };
  }
  const message = parsed.data;
  switch (message.type) {
    case 'ready':
      return { kind: 'resend', state: shown };
    case 'reveal':
      if (!shown || !filesOf(shown).has(message.file)) {
        return {
          kind: 'ignore',
          reason: `a reveal request for a file outside the shown run: ${message.file}`,
        };
      }
      return { kind: 'reveal', file: message.file, line: message.line, character: message.character };
    case 'approve':
    case 'reject':
      if (shown?.proposal?.id !== message.proposalId) {
        return {
          kind: 'ignore',
          reason: `${message.type} for proposal ${message.proposalId}, which the panel is not showing`,
        };
      }
      return {
        kind: 'command',
        command: message.type === 'approve' ? 'anneal.approveProposal' : 'anneal.rejectProposal',
        proposalId: message.proposalId,
      };
  }
}

/** Every file the shown run mentions: the only places a reveal may open. */
function filesOf({ runLog, proposal }: StateMessage): Set<string> {
  const reports = [
    ...runLog.reportsBefore,
    ...runLog.reportsAfter,
    ...runLog.attempts.flatMap((a) => a.reportsOut),
    ...(proposal?.reports ?? []),
  ];
  return new Set([runLog.file, ...reports.map((r) => r.file)]);
}
