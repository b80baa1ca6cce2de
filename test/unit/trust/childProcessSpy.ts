// Records every process the code under test starts, by wrapping node:child_process in place
// (compiled modules call it through the module object, so the wrappers see every call).
import childProcess from 'node:child_process';

export interface SpawnRecord {
  fn: string;
  command: string;
  args: string[];
}

const NAMES = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

/** Starts recording; call the returned stop() to restore node:child_process. */
export function spyOnChildProcesses(): { calls: SpawnRecord[]; stop: () => void } {
  const calls: SpawnRecord[] = [];
  const mod = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  const saved = new Map<string, (...args: unknown[]) => unknown>();
  for (const name of NAMES) {
    const original = mod[name];
    if (typeof original !== 'function') continue;
    saved.set(name, original);
    mod[name] = function (this: unknown, ...args: unknown[]) {
      const [command, second] = args;
      calls.push({
        fn: name,
        command: String(command),
        args: Array.isArray(second) ? second.map(String) : [],
      });
      return original.apply(this, args);
    };
  }
  return {
    calls,
    stop: () => {
      for (const [name, fn] of saved) mod[name] = fn;
    },
  };
}
