import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Gives memory back between runs. A run allocates a lot that dies with it (ASTs of candidates,
 * diagnostics, model replies); V8 leaves that garbage in the old space until it feels pressure, so
 * a long-lived host's RSS would creep up to its heap limit. When the last run in flight ends, one
 * full collection shortly afterwards keeps the host at its working set (the warm projects).
 */
export class IdleCollector {
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly collect: (() => void) | undefined = exposeGc(),
    private readonly delayMs = 0,
  ) {}

  /** Marks a run as started; call the returned function when it has ended. */
  begin(): () => void {
    this.inFlight++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0 && this.collect) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (this.inFlight === 0) this.collect?.();
        }, this.delayMs);
        this.timer.unref();
      }
    };
  }
}

/** The global `gc` function, exposed at run time (no command-line flag needed), or undefined. */
export function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
