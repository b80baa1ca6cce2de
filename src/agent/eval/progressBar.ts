import type { BenchProgress } from './runBench';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Remaining time from the pace so far; undefined before the first sample finishes. */
export function etaMs(p: Pick<BenchProgress, 'done' | 'total' | 'elapsedMs'>): number | undefined {
  if (p.done === 0) return undefined;
  return (p.elapsedMs / p.done) * (p.total - p.done);
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, one plain line per finished sample
 * otherwise (CI logs).
 */
export class ProgressBar {
  private drawn = false;

  constructor(
    private readonly write: (s: string) => void,
    private readonly isTTY: boolean,
    private readonly width = 28,
  ) {}

  update(p: BenchProgress): void {
    const eta = etaMs(p);
    const etaText = eta === undefined ? '' : ` · ETA ${formatDuration(eta)}`;
    if (this.isTTY) {
      const filled = p.total === 0 ? this.width : Math.round((this.width * p.done) / p.total);
      const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
      const percent = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total);
      this.write(`\r\x1b[K${bar} ${p.done}/${p.total} ${percent}% · ${p.passed} passed${etaText}`);
      this.drawn = true;
    } else {
      this.write(
        `[${p.done}/${p.total}] ${p.last.task}#${p.last.sample} ${p.last.status} (${p.last.seconds.toFixed(1)}s)${etaText}\n`,
      );
    }
  }

  /** Ends the bar's line so later output starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.write('\n');
    this.drawn = false;
  }
}
