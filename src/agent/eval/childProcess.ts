import { spawn } from 'node:child_process';

export interface ChildResult {
  exitCode: number | null;
  /** stdout and stderr interleaved, trimmed to the last `maxOutput` characters. */
  output: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the program could not be started at all. */
  spawnError?: string;
  durationMs: number;
}

export interface ChildOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutput?: number;
}

/**
 * Runs a program in its own process group and kills the whole group on timeout or abort, so a
 * test that forks or hangs cannot outlive its task.
 */
export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<ChildResult> {
  const started = Date.now();
  const maxOutput = options.maxOutput ?? 64_000;
  return new Promise((resolvePromise) => {
    let output = '';
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const append = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > maxOutput * 2) output = output.slice(-maxOutput);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill('SIGKILL');
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (exitCode: number | null, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise({
        exitCode,
        output: output.length > maxOutput ? output.slice(-maxOutput) : output,
        timedOut,
        aborted,
        durationMs: Date.now() - started,
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => {
      // Grandchildren may still hold the group; make sure nothing is left behind.
      killGroup();
      finish(code);
    });
  });
}
