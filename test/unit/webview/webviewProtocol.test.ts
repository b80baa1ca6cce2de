import assert from 'node:assert/strict';
import { ExtensionToWebviewMessage, WebviewToExtensionMessage } from '../../../src/protocol/webviewProtocol';
import { reportsBefore, sampleRunLog } from './sampleRunLog';

describe('webview protocol', () => {
  describe('extension → webview', () => {
    it('accepts a state message with and without a proposal, and clear', () => {
      const runLog = sampleRunLog();
      assert.ok(ExtensionToWebviewMessage.safeParse({ type: 'state', runLog }).success);
      const withProposal = ExtensionToWebviewMessage.parse({
        type: 'state',
        runLog,
        proposal: { id: 'p1', verdict: 'validated', reports: reportsBefore },
      });
      assert.equal(withProposal.type, 'state');
      assert.ok(ExtensionToWebviewMessage.safeParse({ type: 'clear' }).success);
    });

    it('rejects unknown types, missing or malformed run logs and extra keys', () => {
      const runLog = sampleRunLog();
      const bad: unknown[] = [
        null,
        'state',
        { type: 'explode' },
        { type: 'state' },
        {
          type: 'state',
          runLog: { ...runLog, steps: [{ id: 1, name: 'x', status: 'weird', startedAt: 0 }] },
        },
        { type: 'state', runLog: { ...runLog, verdict: 'great' } },
        { type: 'state', runLog, proposal: { id: '', verdict: 'validated', reports: [] } },
        { type: 'state', runLog, html: '<img src=x onerror=alert(1)>' },
        { type: 'clear', extra: 1 },
      ];
      for (const message of bad) {
        assert.equal(
          ExtensionToWebviewMessage.safeParse(message).success,
          false,
          JSON.stringify(message)?.slice(0, 80),
        );
      }
    });
  });

  describe('webview → extension', () => {
    it('accepts ready, reveal, approve and reject', () => {
      const good = [
        { type: 'ready' },
        { type: 'reveal', file: '/w/a.ts', line: 0, character: 3 },
        { type: 'approve', proposalId: 'p1' },
        { type: 'reject', proposalId: 'p1' },
      ];
      for (const message of good) assert.deepEqual(WebviewToExtensionMessage.parse(message), message);
    });

    it('rejects bad shapes', () => {
      const bad: unknown[] = [
        undefined,
        {},
        { type: 'run', command: 'rm -rf /' },
        { type: 'reveal', file: '/w/a.ts', line: -1, character: 0 },
        { type: 'reveal', file: '/w/a.ts', line: 1.5, character: 0 },
        { type: 'reveal', file: '', line: 1, character: 0 },
        { type: 'reveal', file: '/w/a.ts', line: '3', character: 0 },
        { type: 'approve' },
        { type: 'approve', proposalId: 7 },
        { type: 'reject', proposalId: 'p1', command: 'workbench.action.terminal.new' },
        { type: 'ready', state: {} },
      ];
      for (const message of bad) {
        assert.equal(WebviewToExtensionMessage.safeParse(message).success, false, JSON.stringify(message));
      }
    });
  });
});
