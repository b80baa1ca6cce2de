import assert from 'node:assert/strict';
import { routeWebviewMessage } from '../../../src/extension/panel/routeWebviewMessage';
import type { StateMessage } from '../../../src/protocol/webviewProtocol';
import { CART, reportsBefore, sampleRunLog } from './sampleRunLog';

const shown: StateMessage = {
  type: 'state',
  runLog: sampleRunLog(),
  proposal: {
    id: 'p-1',
    verdict: 'validated',
    reports: [{ ...reportsBefore[0]!, file: '/workspace/shop/src/money.ts' }],
  },
};

describe('routeWebviewMessage (extension side)', () => {
  it('answers ready with the latest state, or nothing before the first run', () => {
    assert.deepEqual(routeWebviewMessage({ type: 'ready' }, shown), { kind: 'resend', state: shown });
    assert.deepEqual(routeWebviewMessage({ type: 'ready' }, undefined), { kind: 'resend', state: undefined });
  });

  it('reveals only files the shown run mentions', () => {
    assert.deepEqual(routeWebviewMessage({ type: 'reveal', file: CART, line: 11, character: 4 }, shown), {
      kind: 'reveal',
      file: CART,
      line: 11,
      character: 4,
    });
    assert.equal(
      routeWebviewMessage(
        { type: 'reveal', file: '/workspace/shop/src/money.ts', line: 0, character: 0 },
        shown,
      ).kind,
      'reveal',
    );
    assert.equal(
      routeWebviewMessage({ type: 'reveal', file: '/etc/passwd', line: 0, character: 0 }, shown).kind,
      'ignore',
    );
    assert.equal(
      routeWebviewMessage({ type: 'reveal', file: CART, line: 0, character: 0 }, undefined).kind,
      'ignore',
    );
  });

  it('runs approve and reject only for the proposal on screen', () => {
    assert.deepEqual(routeWebviewMessage({ type: 'approve', proposalId: 'p-1' }, shown), {
      kind: 'command',
      command: 'anneal.approveProposal',
      proposalId: 'p-1',
    });
    assert.deepEqual(routeWebviewMessage({ type: 'reject', proposalId: 'p-1' }, shown), {
      kind: 'command',
      command: 'anneal.rejectProposal',
      proposalId: 'p-1',
    });
    assert.equal(routeWebviewMessage({ type: 'approve', proposalId: 'p-2' }, shown).kind, 'ignore');
    assert.equal(
      routeWebviewMessage({ type: 'approve', proposalId: 'p-1' }, { ...shown, proposal: undefined }).kind,
      'ignore',
    );
  });

  it('ignores what does not match the protocol, saying why', () => {
    for (const raw of [
      null,
      'ready',
      { type: 'exec', command: 'x' },
      { type: 'reveal', file: CART },
      { type: 'ready', x: 1 },
    ]) {
      const request = routeWebviewMessage(raw, shown);
      assert.equal(request.kind, 'ignore', JSON.stringify(raw));
      assert.match(request.kind === 'ignore' ? request.reason : '', /does not match the protocol/);
    }
  });
});
