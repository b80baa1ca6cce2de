import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { exposeGc, IdleCollector } from '../../../src/agent/host/idleCollector';

describe('IdleCollector (agent host)', () => {
  it('collects once when the last run in flight has ended, never during a run', async () => {
    let collections = 0;
    const idle = new IdleCollector(() => void collections++, 5);
    const a = idle.begin();
    const b = idle.begin();
    a();
    a(); // ending twice counts once
    await sleep(20);
    assert.equal(collections, 0, 'b is still in flight');
    b();
    await sleep(20);
    assert.equal(collections, 1);
  });

  it('skips a pending collection when a new run starts first', async () => {
    let collections = 0;
    const idle = new IdleCollector(() => void collections++, 30);
    idle.begin()();
    const next = idle.begin();
    await sleep(60);
    assert.equal(collections, 0);
    next();
    await sleep(60);
    assert.equal(collections, 1);
  });

  it('finds the runtime gc function without a command-line flag', () => {
    const gc = exposeGc();
    assert.equal(typeof gc, 'function');
    assert.doesNotThrow(() => gc?.());
  });
});
