import { strict as assert } from 'node:assert';
import { RestartPolicy } from '../../../src/extension/agentHost/restartPolicy';

describe('RestartPolicy', () => {
  it('allows three restarts within three minutes, then refuses', () => {
    const policy = new RestartPolicy(3, 180_000);
    assert.equal(policy.canRestart(0), true);
    policy.recordCrash(0);
    policy.recordCrash(10_000);
    policy.recordCrash(20_000);
    assert.equal(policy.canRestart(30_000), true, 'the third restart');
    policy.recordCrash(40_000);
    assert.equal(policy.canRestart(50_000), false);
    assert.equal(policy.recentCrashes(50_000), 4);
  });

  it('allows restarts again once old crashes leave the window', () => {
    const policy = new RestartPolicy(3, 180_000);
    for (const t of [0, 1000, 2000, 3000]) policy.recordCrash(t);
    assert.equal(policy.canRestart(100_000), false);
    assert.equal(policy.canRestart(181_000), true);
    assert.equal(policy.recentCrashes(181_000), 3);
  });

  it('forgets crashes on reset', () => {
    const policy = new RestartPolicy(1, 1000);
    policy.recordCrash(0);
    policy.recordCrash(1);
    assert.equal(policy.canRestart(2), false);
    policy.reset();
    assert.equal(policy.canRestart(2), true);
  });
});
