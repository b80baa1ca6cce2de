import { strict as assert } from 'node:assert';
import {
  ProposalStore,
  type PendingProposal,
  type ProposalMemento,
} from '../../../src/extension/proposals/proposalStore';
import { textHash } from '../../../src/extension/proposals/textHash';
import { proposal } from './proposalFixtures';

/** workspaceState as a Map that round-trips through JSON, as VS Code stores it. */
class MapMemento implements ProposalMemento {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}

const entry = (over: Parameters<typeof proposal>[0] = {}): PendingProposal => ({
  proposal: proposal(over),
  request: { goal: 'repair', target: { kind: 'symbol', name: 'total' } },
});

describe('ProposalStore', () => {
  it('persists proposals so a new store (a window reload) sees them', async () => {
    const memento = new MapMemento();
    const store = new ProposalStore(memento);
    await store.put(entry({ id: 'a', file: '/ws/a.ts', createdAt: 2 }));
    await store.put(entry({ id: 'b', file: '/ws/b.ts', createdAt: 1 }));
    const reloaded = new ProposalStore(memento);
    assert.deepEqual(
      reloaded.all().map((p) => p.proposal.id),
      ['b', 'a'],
    );
    assert.equal(reloaded.get('a')?.request.target.kind, 'symbol');
    assert.equal(reloaded.forFile('/ws/b.ts')?.proposal.id, 'b');
  });

  it('keeps one proposal per file: a new one replaces the old', async () => {
    const store = new ProposalStore(new MapMemento());
    await store.put(entry({ id: 'old', file: '/ws/a.ts' }));
    await store.put(entry({ id: 'new', file: '/ws/a.ts' }));
    assert.deepEqual(
      store.all().map((p) => p.proposal.id),
      ['new'],
    );
  });

  it('updates texts and hash after a hunk, and removes', async () => {
    const memento = new MapMemento();
    const store = new ProposalStore(memento);
    await store.put(entry({ id: 'a' }));
    await store.update('a', { baseText: 'x\n', baseHash: textHash('x\n') });
    assert.equal(new ProposalStore(memento).get('a')?.proposal.baseText, 'x\n');
    assert.equal(await store.remove('a'), true);
    assert.equal(await store.remove('a'), false);
    assert.deepEqual(new ProposalStore(memento).all(), []);
  });

  it('drops stored entries that no longer parse', () => {
    const memento = new MapMemento();
    memento.data.set('anneal.pendingProposals', JSON.stringify([{ nonsense: true }, entry({ id: 'ok' })]));
    assert.deepEqual(
      new ProposalStore(memento).all().map((p) => p.proposal.id),
      ['ok'],
    );
    memento.data.set('anneal.pendingProposals', JSON.stringify('garbage'));
    assert.deepEqual(new ProposalStore(memento).all(), []);
  });

  it('tells listeners about every change', async () => {
    const store = new ProposalStore(new MapMemento());
    let calls = 0;
    const sub = store.onDidChange(() => calls++);
    await store.put(entry({ id: 'a' }));
    await store.update('a', { newText: 'y\n' });
    await store.remove('a');
    sub.dispose();
    await store.put(entry({ id: 'b' }));
    assert.equal(calls, 3);
  });

  it('hashes like the engine: sha256 hex of the UTF-8 text', () => {
    assert.equal(textHash(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(proposal({ baseText: 'héllo\n' }).baseHash, textHash('héllo\n'));
  });
});
