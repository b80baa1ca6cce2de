import { spawn, type ChildProcess } from 'node:child_process';

/*
 * Validators run their commands (pyright, pytest, test commands) in process groups of their own,
 * so that a timeout can kill a whole tree. A killed agent host (SIGKILL, an OOM kill, a crash of
 * the editor) cannot do that itself, and those groups would run on without a parent. A small
 * watchdog, one per agent host, holds the list of live groups; it reads it from a pipe whose
 * only writer is the host, so the pipe ends exactly when the host dies, however it dies, and the
 * watchdog then kills every group on the list and leaves.
 */
const WATCHDOG_SOURCE = `
const groups = new Set();
let buffer = '';
const killAll = () => {
  for (const g of groups) {
    try { process.kill(-g, 'SIGKILL'); } catch {}
  }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    const line = buffer.slice(0, i);
    buffer = buffer.slice(i + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === '+') groups.add(pgid);
    else groups.delete(pgid);
  }
});
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
`;

let watchdog: ChildProcess | undefined;

function ensureWatchdog(): ChildProcess | undefined {
  if (watchdog?.stdin && !watchdog.stdin.destroyed) return watchdog;
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
      // Its own group: a kill aimed at the host's group must leave it alive to clean up.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // The agent host may run inside Electron; this makes its binary behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    child.on('error', () => {
      if (watchdog === child) watchdog = undefined;
    });
    child.on('exit', () => {
      if (watchdog === child) watchdog = undefined;
    });
    child.stdin?.on('error', () => {
      if (watchdog === child) watchdog = undefined;
    });
    // The watchdog must never keep the host alive.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    watchdog = child;
    return child;
  } catch {
    return undefined;
  }
}

/**
 * Registers a process group (POSIX: the pid of a child spawned with `detached: true`) to be
 * killed if this process dies before releasing it. Returns the release function. A no-op on
 * Windows, which has no process groups.
 */
export function guardProcessGroup(pgid: number | undefined): () => void {
  if (process.platform === 'win32' || pgid === undefined) return () => undefined;
  const dog = ensureWatchdog();
  if (!dog?.stdin) return () => undefined;
  dog.stdin.write(`+${pgid}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (watchdog === dog && dog.stdin && !dog.stdin.destroyed) dog.stdin.write(`-${pgid}\n`);
  };
}
