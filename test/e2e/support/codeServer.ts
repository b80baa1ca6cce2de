import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eTools } from './e2eEnv';
import { waitFor } from './waitFor';

/** User settings seeded into every code-server profile so the workbench looks the same each run. */
export const deterministicSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  // Otherwise the secondary side bar takes the room and diffs render inline.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'diffEditor.useInlineViewWhenSpaceIsLimited': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  // The web workbench defaults to afterDelay; desktop (what users run) to off.
  'files.autoSave': 'off',
};

export interface CodeServerOptions {
  /** Extensions dir to use (shared, already populated); default: a fresh empty one. */
  extensionsDir?: string;
  /** User settings merged over {@link deterministicSettings}. */
  settings?: Record<string, unknown>;
  /** Keep Workspace Trust on (off by default). Folders then open in Restricted Mode. */
  workspaceTrust?: boolean;
  /** Pass `enable-smoke-test-driver` (needed to run extension tests from a URL payload). */
  smokeTestDriver?: boolean;
  /** Port on 127.0.0.1 (or `host`); default: a free one. */
  port?: number;
  host?: string;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  /** How long to wait for /healthz (default 60 s). */
  startTimeout?: number;
  /** More code-server flags, e.g. `--reconnection-grace-time 10`. */
  args?: string[];
}

/** A running code-server with its own profile, extensions and XDG dirs under {@link root}. */
export interface CodeServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Scratch dir holding everything below; removed by {@link stop} unless ANNEAL_E2E_KEEP=1. */
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly stdoutLog: string;
  readonly stderrLog: string;
  readonly process: ChildProcess;
  /** The workbench URL for a folder; `payload` is VS Code's URL payload (test paths etc). */
  folderUrl(folder: string, payload?: Array<[string, string]>): string;
  /** `vscode-remote://host:port/abs/path`: how the browser workbench names a server path. */
  remoteUri(absPath: string): string;
  /** Extension host logs written so far (U/logs/<session>/exthost<n>/remoteexthost.log). */
  exthostLogs(): string[];
  /** Stops the whole process tree (idempotent). */
  stop(): Promise<void>;
}

const running = new Set<CodeServer>();

// A crashed or interrupted test run must not leave extension hosts behind: the servers run in
// their own process groups, so neither a terminal's Ctrl+C nor our exit reaches them by itself.
process.on('exit', () => {
  for (const cs of running) killGroup(cs.process, 'SIGKILL');
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    for (const cs of running) killGroup(cs.process, 'SIGTERM');
    // Exit as the default action would, unless someone else (the demo) handles the signal.
    if (process.listenerCount(signal) === 1) process.exit(code);
  });
}

/** Asks the OS for a free port on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Starts code-server and waits until /healthz answers. */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const tools = e2eTools();
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const root = mkdtempSync(join(tmpdir(), 'anneal-e2e-cs-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(root, 'extensions');
  const xdg = join(root, 'xdg');
  for (const d of [
    join(userDataDir, 'User'),
    extensionsDir,
    join(xdg, 'config'),
    join(xdg, 'data'),
    join(xdg, 'cache'),
  ]) {
    mkdirSync(d, { recursive: true });
  }
  const settings: Record<string, unknown> = { ...deterministicSettings };
  if (options.workspaceTrust) {
    settings['security.workspace.trust.enabled'] = true;
    // No modal on open: an untrusted folder opens straight into Restricted Mode.
    settings['security.workspace.trust.startupPrompt'] = 'never';
  }
  Object.assign(settings, options.settings);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const config = join(root, 'config.yaml');
  writeFileSync(config, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);

  const args = [
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(...(options.args ?? []));

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A parent VS Code's IPC variables, or PORT/PASSWORD, would redirect or lock this instance.
    if (k.startsWith('VSCODE_') || k === 'PORT' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') continue;
    env[k] = v;
  }
  Object.assign(env, {
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
    ...options.env,
  });

  const stdoutLog = join(root, 'code-server.stdout.log');
  const stderrLog = join(root, 'code-server.stderr.log');
  const out = openSync(stdoutLog, 'a');
  const err = openSync(stderrLog, 'a');
  // Own process group, so stop() can signal the server and everything it spawned at once.
  const child = spawn(tools.codeServer, args, { env, detached: true, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `code-server exited (code ${code}, signal ${signal})`;
  });

  const url = `http://${host}:${port}`;
  let stopped = false;
  const cs: CodeServer = {
    url,
    host,
    port,
    root,
    userDataDir,
    extensionsDir,
    stdoutLog,
    stderrLog,
    process: child,
    folderUrl(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}/?${query.toString()}`;
    },
    remoteUri(absPath) {
      return `vscode-remote://${host}:${port}${absPath}`;
    },
    exthostLogs() {
      return findExthostLogs(userDataDir);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(cs);
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        killGroup(child, 'SIGTERM');
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
        if ((await Promise.race([gone, timer])) === 'timeout') killGroup(child, 'SIGKILL');
      }
      // Children that outlived the server (the extension host) are still in the group.
      killGroup(child, 'SIGKILL');
      if (process.env.ANNEAL_E2E_KEEP !== '1') rmSync(root, { recursive: true, force: true });
    },
  };
  running.add(cs);

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`${exited}: ${tail(stderrLog)}`);
        const res = await fetch(`${url}/healthz`);
        return res.ok;
      },
      { timeout: options.startTimeout ?? 60_000, interval: 200, message: `code-server /healthz on ${url}` },
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await cs.stop();
    throw new Error(`${message}\ncode-server stderr:\n${tail(stderrLog)}`, { cause: e });
  }
  return cs;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function findExthostLogs(userDataDir: string): string[] {
  const logsDir = join(userDataDir, 'logs');
  if (!existsSync(logsDir)) return [];
  const found: string[] = [];
  for (const session of readdirSync(logsDir)) {
    const sessionDir = join(logsDir, session);
    let entries: string[];
    try {
      entries = readdirSync(sessionDir);
    } catch {
      continue;
    }
    for (const entry of entries.filter((e) => e.startsWith('exthost'))) {
      const log = join(sessionDir, entry, 'remoteexthost.log');
      if (existsSync(log)) found.push(log);
    }
  }
  return found.sort();
}
