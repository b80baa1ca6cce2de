import { fork, type ChildProcess } from 'node:child_process';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ResponseError,
  type CancellationToken,
  type MessageConnection,
  type RequestType,
} from 'vscode-jsonrpc/node';
import type { z } from 'zod';
import {
  DidStepNotification,
  DidUpdateLogNotification,
  InitializeRequest,
  InitializeResult,
  LogNotification,
  LogNotificationParams,
  ShutdownRequest,
  StepNotificationParams,
  AgentLogParams,
} from '../../protocol/agentProtocol';
import { ErrorData } from '../../protocol/errorReasons';
import { AnnealClientError } from './annealClientError';
import { RestartPolicy } from './restartPolicy';

export type LogLevel = AgentLogParams['level'];

export interface AgentClientOptions {
  /** Absolute path of dist/agent.js. */
  agentPath: string;
  clientName: string;
  clientVersion?: string;
  log: (level: LogLevel, message: string) => void;
  /** Called once when the restart budget is spent and the host stays down. */
  onGaveUp: (message: string) => void;
  policy?: RestartPolicy;
  now?: () => number;
  /** How long the handshake may take. */
  startTimeoutMs?: number;
  /** After a cancel, how long to wait for the host to confirm before giving up on it. */
  cancelGraceMs?: number;
}

export interface RequestOptions<R> {
  token?: CancellationToken;
  /** The host is treated as hung, and restarted, when no answer comes in this time. */
  timeoutMs: number;
  /** Results are validated where they are received. */
  result: z.ZodType<R>;
}

interface Session {
  child: ChildProcess;
  connection: MessageConnection;
  pid: number;
  /** Rejecters of requests in flight, called when the process dies. */
  pending: Set<(error: AnnealClientError) => void>;
  /** Exit we asked for (shutdown): not a crash. */
  expectedExit: boolean;
  /** Killed because a request got no answer in time. */
  hung: boolean;
}

type Listener<T> = (value: T) => void;

/**
 * The agent host as seen from the extension: forked on the first request (not on activation),
 * kept warm, restarted after a crash within a bounded policy, shut down on dispose.
 */
export class AgentClient {
  private session: Session | undefined;
  private starting: Promise<Session> | undefined;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;
  private gaveUpReported = false;
  private disposed = false;
  private readonly stepListeners = new Set<Listener<StepNotificationParams>>();
  private readonly logListeners = new Set<Listener<LogNotificationParams>>();

  constructor(private readonly options: AgentClientOptions) {
    this.policy = options.policy ?? new RestartPolicy();
    this.now = options.now ?? Date.now;
  }

  /** run/didStep notifications, validated. */
  onDidStep(listener: Listener<StepNotificationParams>): { dispose(): void } {
    this.stepListeners.add(listener);
    return { dispose: () => this.stepListeners.delete(listener) };
  }

  /** run/didUpdateLog notifications, validated. */
  onDidUpdateLog(listener: Listener<LogNotificationParams>): { dispose(): void } {
    this.logListeners.add(listener);
    return { dispose: () => this.logListeners.delete(listener) };
  }

  /** The running host's pid, if one is running. */
  get pid(): number | undefined {
    return this.session?.pid;
  }

  /** Sends a request, starting the host if needed; fails with AnnealClientError. */
  async request<P, R>(type: RequestType<P, R, ErrorData>, params: P, options: RequestOptions<R>): Promise<R> {
    if (options.token?.isCancellationRequested) throw cancelledError();
    const session = await this.ensureSession();
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const cleanups: (() => void)[] = [];
      const settle = (action: () => void): void => {
        if (settled) return;
        settled = true;
        for (const c of cleanups) c();
        action();
      };
      const fail = (e: AnnealClientError): void => settle(() => reject(e));
      session.pending.add(fail);
      cleanups.push(() => session.pending.delete(fail));

      const timer = setTimeout(() => {
        this.options.log(
          'error',
          `${type.method} got no answer in ${options.timeoutMs} ms; restarting the agent host`,
        );
        fail(
          new AnnealClientError(
            'timeout',
            'The Anneal agent stopped responding and was restarted. Nothing was changed; run the command again.',
          ),
        );
        this.killHung(session);
      }, options.timeoutMs);
      cleanups.push(() => clearTimeout(timer));

      if (options.token) {
        const listener = options.token.onCancellationRequested(() => {
          // The host answers a cancel quickly; if it does not, stop waiting for it.
          const grace = setTimeout(() => fail(cancelledError()), this.options.cancelGraceMs ?? 10_000);
          cleanups.push(() => clearTimeout(grace));
        });
        cleanups.push(() => listener.dispose());
      }

      // An explicit `undefined` token would be sent as a second positional param.
      const sent = options.token
        ? session.connection.sendRequest<unknown>(type.method, params, options.token)
        : session.connection.sendRequest<unknown>(type.method, params);
      sent.then(
        (raw) => {
          // The user cancelled: a result that raced the cancel is not wanted any more.
          if (options.token?.isCancellationRequested) return fail(cancelledError());
          const parsed = options.result.safeParse(raw);
          if (parsed.success) settle(() => resolve(parsed.data));
          else {
            this.options.log('error', `${type.method} returned an invalid result: ${parsed.error.message}`);
            fail(
              new AnnealClientError(
                'internal',
                'The Anneal agent sent an invalid answer. See the Anneal log.',
              ),
            );
          }
        },
        (e: unknown) => fail(toClientError(e, options.token?.isCancellationRequested === true)),
      );
    });
  }

  /** Asks the host to exit, then makes sure it did. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const session = this.session ?? (await this.starting?.catch(() => undefined));
    this.session = undefined;
    this.starting = undefined;
    if (!session) return;
    session.expectedExit = true;
    try {
      await withTimeout(session.connection.sendRequest(ShutdownRequest), 2000);
    } catch {
      // Exiting anyway.
    }
    session.connection.dispose();
    if (session.child.exitCode === null && session.child.signalCode === null) session.child.kill();
  }

  private async ensureSession(): Promise<Session> {
    if (this.disposed) throw new AnnealClientError('unavailable', 'Anneal is shutting down.');
    if (this.session) return this.session;
    if (this.starting) return this.starting;
    if (!this.policy.canRestart(this.now())) {
      const message = `The Anneal agent stopped ${this.policy.recentCrashes(this.now())} times in a few minutes and was not restarted. Check the Anneal log, then try again in a few minutes.`;
      if (!this.gaveUpReported) {
        this.gaveUpReported = true;
        this.options.onGaveUp(message);
      }
      throw new AnnealClientError('agentCrashed', message);
    }
    this.starting = this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<Session> {
    const child = fork(this.options.agentPath, [], {
      // The extension host's own flags (inspector, loaders) must not leak into the agent.
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Under Electron, process.execPath is the app; this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const session: Session = {
      child,
      connection,
      pid: child.pid ?? -1,
      pending: new Set(),
      expectedExit: false,
      hung: false,
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n'))
        if (line.trim()) this.options.log('warn', `[agent stderr] ${line}`);
    });
    child.stdout?.resume();
    child.on('error', (e) => this.options.log('error', `agent host process error: ${e.message}`));
    child.on('exit', (code, signal) => this.onExit(session, code, signal));
    this.installNotifications(connection);
    connection.listen();

    try {
      const init = await withTimeout(
        connection.sendRequest(InitializeRequest, {
          clientName: this.options.clientName,
          ...(this.options.clientVersion ? { clientVersion: this.options.clientVersion } : {}),
        }),
        this.options.startTimeoutMs ?? 15_000,
      );
      const parsed = InitializeResult.parse(init);
      session.pid = parsed.pid;
      this.options.log('info', `agent host ${parsed.version} started (pid ${parsed.pid})`);
    } catch (e) {
      const died = child.exitCode !== null || child.signalCode !== null;
      this.options.log('error', `agent host failed to start: ${e instanceof Error ? e.message : String(e)}`);
      if (!died) {
        // Hung in the handshake: not counted by the exit handler, so count it here.
        session.expectedExit = true;
        child.kill('SIGKILL');
        this.policy.recordCrash(this.now());
      }
      connection.dispose();
      throw new AnnealClientError(
        'agentCrashed',
        'The Anneal agent stopped while starting. Nothing was changed; run the command again.',
        'See the Anneal log for details.',
      );
    }
    if (this.disposed) {
      session.expectedExit = true;
      child.kill();
      throw new AnnealClientError('unavailable', 'Anneal is shutting down.');
    }
    this.gaveUpReported = false;
    this.session = session;
    return session;
  }

  private installNotifications(connection: MessageConnection): void {
    connection.onNotification(LogNotification, (raw) => {
      const p = AgentLogParams.safeParse(raw);
      if (p.success) this.options.log(p.data.level, `[agent] ${p.data.message}`);
    });
    connection.onNotification(DidStepNotification, (raw) => {
      const p = StepNotificationParams.safeParse(raw);
      if (!p.success) return this.options.log('warn', 'ignored an invalid run/didStep notification');
      for (const l of this.stepListeners) l(p.data);
    });
    connection.onNotification(DidUpdateLogNotification, (raw) => {
      const p = LogNotificationParams.safeParse(raw);
      if (!p.success) return this.options.log('warn', 'ignored an invalid run/didUpdateLog notification');
      for (const l of this.logListeners) l(p.data);
    });
  }

  private onExit(session: Session, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.session === session) this.session = undefined;
    session.connection.dispose();
    const how = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
    if (session.expectedExit) {
      this.options.log('info', `agent host exited (${how})`);
      return;
    }
    this.policy.recordCrash(this.now());
    this.options.log('error', `agent host (pid ${session.pid}) stopped unexpectedly (${how})`);
    const error = session.hung
      ? new AnnealClientError(
          'timeout',
          'The Anneal agent stopped responding and was restarted. Nothing was changed; run the command again.',
        )
      : new AnnealClientError(
          'agentCrashed',
          `The Anneal agent stopped unexpectedly (${how}). The run did not finish and nothing was changed; run the command again.`,
          'See the Anneal log for details.',
        );
    for (const reject of [...session.pending]) reject(error);
  }

  private killHung(session: Session): void {
    session.hung = true;
    if (this.session === session) this.session = undefined;
    session.child.kill('SIGKILL');
  }
}

function cancelledError(): AnnealClientError {
  return new AnnealClientError('cancelled', 'The run was cancelled. Nothing was changed.');
}

/** A JSON-RPC failure → AnnealClientError, reading the reason from ErrorData. */
function toClientError(e: unknown, cancelled: boolean): AnnealClientError {
  if (e instanceof ResponseError) {
    const data = ErrorData.safeParse(e.data);
    if (data.success) {
      if (data.data.reason === 'cancelled') return cancelledError();
      return new AnnealClientError(data.data.reason, e.message, data.data.hint);
    }
  }
  if (cancelled) return cancelledError();
  const detail = e instanceof Error ? e.message : String(e);
  return new AnnealClientError('internal', `The request to the Anneal agent failed: ${detail}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
