import { strict as assert } from 'node:assert';
import {
  CheckParams,
  CheckRequest,
  DidStepNotification,
  DidUpdateLogNotification,
  FindSymbolRequest,
  FindSymbolResult,
  InitializeRequest,
  LogNotification,
  RunParams,
  RunRequest,
  RunSettings,
  ShutdownRequest,
  StepNotificationParams,
} from '../../../src/protocol/agentProtocol';
import { ErrorData } from '../../../src/protocol/errorReasons';
import { Proposal } from '../../../src/protocol/proposal';
import { proposal } from '../extension/proposalFixtures';

describe('agent protocol schemas', () => {
  it('names every method in a namespace, as docs/protocol.md lists them', () => {
    assert.deepEqual(
      [InitializeRequest, RunRequest, CheckRequest, FindSymbolRequest, ShutdownRequest].map((r) => r.method),
      ['agent/initialize', 'agent/run', 'agent/check', 'agent/findSymbol', 'agent/shutdown'],
    );
    assert.deepEqual(
      [DidStepNotification, DidUpdateLogNotification, LogNotification].map((n) => n.method),
      ['run/didStep', 'run/didUpdateLog', 'agent/log'],
    );
    assert.equal(ShutdownRequest.numberOfParams, 0);
  });

  it('fills run defaults: trusted, provider auto, bounded attempts and budget', () => {
    const parsed = RunParams.parse({ runId: 'r', goal: 'repair', file: '/a.ts', target: { kind: 'file' } });
    assert.equal(parsed.trusted, true);
    assert.equal(parsed.settings.provider, 'auto');
    assert.equal(parsed.settings.maxAttempts, 3);
    assert.equal(parsed.settings.tokenBudget, 60_000);
    assert.deepEqual(parsed.settings.validators, {
      typescript: true,
      eslint: true,
      tests: true,
      python: true,
    });
  });

  it('rejects what the agent must not accept', () => {
    const base = { runId: 'r', goal: 'repair', file: '/a.ts', target: { kind: 'file' } };
    assert.equal(RunParams.safeParse({ ...base, goal: 'rewrite' }).success, false);
    assert.equal(RunParams.safeParse({ ...base, target: { kind: 'symbol', name: '' } }).success, false);
    assert.equal(
      RunParams.safeParse({ ...base, target: { kind: 'range', startLine: -1, endLine: 2 } }).success,
      false,
    );
    assert.equal(RunSettings.safeParse({ maxAttempts: 11 }).success, false);
    assert.equal(RunSettings.safeParse({ candidates: 0 }).success, false);
    assert.equal(RunSettings.safeParse({ diffCap: 0 }).success, false);
    assert.equal(CheckParams.safeParse({ files: [] }).success, false);
  });

  it('carries the three target kinds', () => {
    for (const target of [
      { kind: 'file' },
      { kind: 'symbol', name: 'Cart.total' },
      { kind: 'range', startLine: 0, endLine: 4 },
    ]) {
      assert.equal(
        RunParams.safeParse({ runId: 'r', goal: 'generate', file: '/a.ts', target }).success,
        true,
      );
    }
  });

  it('parses error data by reason and refuses unknown reasons', () => {
    assert.deepEqual(ErrorData.parse({ reason: 'needsModel', hint: 'set a key' }), {
      reason: 'needsModel',
      hint: 'set a key',
    });
    assert.equal(ErrorData.safeParse({ reason: 'oops' }).success, false);
  });

  it('round-trips a proposal and a null symbol through JSON', () => {
    const p = proposal();
    assert.deepEqual(Proposal.parse(JSON.parse(JSON.stringify(p))), p);
    assert.deepEqual(FindSymbolResult.parse({ symbol: null }), { symbol: null });
    assert.equal(
      StepNotificationParams.safeParse({
        runId: 'r',
        step: { id: 1, name: 'Validate', status: 'running', startedAt: 0 },
      }).success,
      true,
    );
  });
});
