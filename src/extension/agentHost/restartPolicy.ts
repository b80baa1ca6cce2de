/**
 * Bounded restarts of the agent host: at most `maxRestarts` within `windowMs`. Once the budget is
 * spent, the host stays down until the window has moved past the old crashes.
 */
export class RestartPolicy {
  private readonly crashes: number[] = [];

  constructor(
    readonly maxRestarts = 3,
    readonly windowMs = 3 * 60_000,
  ) {}

  /** Records an unexpected exit. */
  recordCrash(now: number): void {
    this.crashes.push(now);
    this.prune(now);
  }

  /** Whether the host may be started again now. */
  canRestart(now: number): boolean {
    this.prune(now);
    return this.crashes.length <= this.maxRestarts;
  }

  /** Crashes inside the current window. */
  recentCrashes(now: number): number {
    this.prune(now);
    return this.crashes.length;
  }

  /** Forgets past crashes, e.g. after the user asked for a fresh start. */
  reset(): void {
    this.crashes.length = 0;
  }

  private prune(now: number): void {
    while (this.crashes.length > 0 && now - (this.crashes[0] ?? now) > this.windowMs) this.crashes.shift();
  }
}
