import { z } from 'zod';
import { RunTarget } from '../../protocol/agentProtocol';
import { Proposal } from '../../protocol/proposal';

/** What produced a proposal, kept so that a stale proposal can be re-run on the current text. */
export const ProposalRequest = z.object({
  goal: z.enum(['repair', 'generate']),
  target: RunTarget,
  instruction: z.string().optional(),
});
export type ProposalRequest = z.infer<typeof ProposalRequest>;

/** A proposal waiting for the user's decision. */
export const PendingProposal = z.object({ proposal: Proposal, request: ProposalRequest });
export type PendingProposal = z.infer<typeof PendingProposal>;

/** The slice of vscode.Memento the store needs; workspaceState in the extension, a Map in tests. */
export interface ProposalMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const STORAGE_KEY = 'anneal.pendingProposals';

/**
 * Pending proposals, persisted in workspaceState so they survive a window reload. One per file:
 * putting a proposal for a file replaces the one that was there.
 */
export class ProposalStore {
  private readonly byId = new Map<string, PendingProposal>();
  private readonly listeners = new Set<() => void>();

  /** Loads what was stored; entries that no longer parse (older format, damage) are dropped. */
  constructor(private readonly memento: ProposalMemento) {
    const stored = memento.get<unknown>(STORAGE_KEY);
    if (Array.isArray(stored)) {
      for (const entry of stored) {
        const parsed = PendingProposal.safeParse(entry);
        if (parsed.success) this.byId.set(parsed.data.proposal.id, parsed.data);
      }
    }
  }

  all(): PendingProposal[] {
    return [...this.byId.values()].sort((a, b) => a.proposal.createdAt - b.proposal.createdAt);
  }

  get(id: string): PendingProposal | undefined {
    return this.byId.get(id);
  }

  forFile(file: string): PendingProposal | undefined {
    return this.all().find((p) => sameFile(p.proposal.file, file));
  }

  async put(entry: PendingProposal): Promise<void> {
    for (const [id, p] of this.byId) if (sameFile(p.proposal.file, entry.proposal.file)) this.byId.delete(id);
    this.byId.set(entry.proposal.id, entry);
    await this.persist();
  }

  /** Replaces the proposal's texts and hash after a hunk was applied or rejected. */
  async update(
    id: string,
    change: Partial<Pick<Proposal, 'baseText' | 'baseHash' | 'newText'>>,
  ): Promise<void> {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.set(id, { ...entry, proposal: { ...entry.proposal, ...change } });
    await this.persist();
  }

  async remove(id: string): Promise<boolean> {
    const had = this.byId.delete(id);
    if (had) await this.persist();
    return had;
  }

  /** Called after every change. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async persist(): Promise<void> {
    await this.memento.update(STORAGE_KEY, this.all());
    for (const l of this.listeners) l();
  }
}

/** Paths compare case-insensitively only where the file system usually is. */
function sameFile(a: string, b: string): boolean {
  return process.platform === 'win32' || process.platform === 'darwin'
    ? a.toLowerCase() === b.toLowerCase()
    : a === b;
}
