// Starts the built agent host (`node dist/agent.js --stdio`) and talks to it with vscode-jsonrpc,
// as any client of docs/protocol.md would. Also finds processes by an environment marker, to
// prove that nothing a run started outlives it.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

export const AGENT = resolve('dist/agent.js');

/** Environment variable whose value marks every process descended from one agent host. */
export const MARKER_VAR = 'ANNEAL_TRUST_MARKER';

export interface AgentLogLine {
  level: string;
  message: string;
}

/** One running agent host and a JSON-RPC connection to it. */
export interface AgentHost {
  child: ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  /** A value only this host and its descendants carry in their environment. */
  marker: string;
  /** agent/log notifications, in order. */
  logs: AgentLogLine[];
  /** Every notification (method and params), in order. */
  notifications: { method: string; params: unknown }[];
  /** Everything the host wrote to stderr. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends agent/shutdown, or kills the host when it does not leave within 5 s. */
  stop(): Promise<void>;
}

export function startAgentHost(env: NodeJS.ProcessEnv = {}): AgentHost {
  assert.ok(existsSync(AGENT), `${AGENT} is missing: run \`npm run build\` first`);
  const marker = `trust-${process.pid}-${randomBytes(6).toString('hex')}`;
  const child = spawn(process.execPath, [AGENT, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env, [MARKER_VAR]: marker },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const logs: AgentLogLine[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  connection.onNotification((method, params) => {
    notifications.push({ method, params });
    if (method === 'agent/log') logs.push(params as AgentLogLine);
  });
  // A killed host closes the pipes; the connection reports it, the test asserts on requests.
  connection.onError(() => undefined);
  connection.listen();
  const host: AgentHost = {
    child,
    connection,
    marker,
    logs,
    notifications,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await connection.sendRequest('agent/shutdown').catch(() => undefined);
        await exited;
        clearTimeout(timer);
      }
      connection.dispose();
    },
  };
  return host;
}

/** Pids of live processes whose environment (as MARKER_VAR) or command line holds `marker` (Linux /proc). */
export function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  const needle = Buffer.from(`${MARKER_VAR}=${marker}`);
  const own = Buffer.from(marker);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      // A zombie has exited already; only its parent's wait is missing.
      if (/^State:\s+Z/m.test(status)) continue;
      if (Number(name) === process.pid) continue;
      if (
        readFileSync(`/proc/${name}/environ`).includes(needle) ||
        readFileSync(`/proc/${name}/cmdline`).includes(own)
      )
        found.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** The command line of a process, for failure messages. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(check: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Asserts that no process carrying `marker` is alive within `timeoutMs` (the host included). */
export async function assertNoOrphans(marker: string, timeoutMs = 5000): Promise<void> {
  const gone = await waitUntil(() => processesWithMarker(marker).length === 0, timeoutMs);
  const left = processesWithMarker(marker);
  if (!gone) {
    // Do not leave them running for the next test either.
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  assert.ok(gone, `orphan processes survived: ${left.map((p) => `${p} ${commandLine(p)}`).join('; ')}`);
}

/** The error of a rejected JSON-RPC request: its code, message and data.reason. */
export async function rejection(
  p: Promise<unknown> | (() => Promise<unknown>),
): Promise<{ code?: number; message: string; reason?: string; error: unknown }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    const err = e as { code?: number; message?: string; data?: { reason?: string } };
    return { code: err.code, message: String(err.message), reason: err.data?.reason, error: e };
  }
  assert.fail('the request succeeded, but it should have failed');
}
