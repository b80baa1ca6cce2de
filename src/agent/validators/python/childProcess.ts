import { spawn } from 'node:child_process';
import { AnnealError } from '../../annealError';
import { guardProcessGroup } from './processGroupGuard';

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Output beyond this many bytes per stream is dropped. */
  maxOutputBytes?: number;
}

const IS_WINDOWS = process.platform === 'win32';

/** Kills the child's whole process group (POSIX) so that grandchildren die with it. */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (IS_WINDOWS) process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs a command in its own process group with a hard timeout. On timeout or abort the whole
 * group is killed; after a normal exit the group is killed too, so that nothing the command
 * forked outlives it. Resolves with `timedOut` rather than rejecting on timeout; rejects with
 * `cancelled` on abort and `unavailable` when the command cannot start.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: ProcessOptions,
): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    if (opts.signal?.aborted) {
      reject(new AnnealError('cancelled', 'The run was cancelled.'));
      return;
    }
    const max = opts.maxOutputBytes ?? 32 * 1024 * 1024;
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: !IS_WINDOWS,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    // Should this process be killed outright, the group is killed for it (see processGroupGuard).
    const release = guardProcessGroup(IS_WINDOWS ? undefined : child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let aborted = false;
    let exitCode: number | null = null;
    child.stdout.on('data', (b: Buffer) => {
      if (outBytes < max) out.push(b);
      outBytes += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errBytes < max) err.push(b);
      errBytes += b.length;
    });
    const onAbort = (): void => {
      aborted = true;
      killTree(child.pid);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
    }, opts.timeoutMs);
    // A grandchild holding the pipes open would delay 'close' forever: end the group at exit.
    child.on('exit', (code) => {
      exitCode = code;
      killTree(child.pid);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      release();
      opts.signal?.removeEventListener('abort', onAbort);
      reject(
        new AnnealError('unavailable', `Could not start ${command}: ${e.message}`, undefined, { cause: e }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      release();
      opts.signal?.removeEventListener('abort', onAbort);
      if (aborted) {
        reject(new AnnealError('cancelled', 'The run was cancelled.'));
        return;
      }
      resolvePromise({
        exitCode: exitCode ?? code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** Runs async tasks with at most `max` at a time; the Python tools are heavy on 2 cores. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
