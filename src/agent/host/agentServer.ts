import { CancellationToken, ErrorCodes, MessageConnection, ResponseError } from 'vscode-jsonrpc/node';
import { z } from 'zod';
import {
  CheckParams,
  CheckRequest,
  DidStepNotification,
  DidUpdateLogNotification,
  FindSymbolParams,
  FindSymbolRequest,
  InitializeParams,
  InitializeRequest,
  LogNotification,
  RunParams,
  RunRequest,
  ShutdownRequest,
  type AgentLogParams,
} from '../../protocol/agentProtocol';
import type { ErrorData } from '../../protocol/errorReasons';
import { AnnealError } from '../annealError';
import { checkFiles } from '../engine/checkFiles';
import { findSymbol } from '../engine/findSymbol';
import { runEngine } from '../engine/runEngine';
import { IdleCollector } from './idleCollector';
import { toResponseError } from './responseErrors';

/** What the server needs from its process: identity, and how to leave. */
export interface AgentServerOptions {
  version: string;
  pid: number;
  /** Called after agent/shutdown has been answered. */
  exit: () => void;
}

/**
 * Registers every agent/* handler on a connection. Params are parsed with the protocol's zod
 * schemas here, where they are received; a bad message gets a ResponseError with reason badInput.
 */
export function registerAgentHandlers(connection: MessageConnection, options: AgentServerOptions): void {
  const log = (level: AgentLogParams['level'], message: string): void => {
    void connection.sendNotification(LogNotification, { level, message }).catch(() => undefined);
  };
  const idle = new IdleCollector();

  connection.onRequest(
    InitializeRequest,
    handler(InitializeParams, log, (params) => {
      log('info', `agent ${options.version} (pid ${options.pid}) initialized by ${params.clientName}`);
      return { version: options.version, pid: options.pid };
    }),
  );

  connection.onRequest(
    RunRequest,
    handler(RunParams, log, async (params, token) => {
      const { signal, dispose } = abortSignalFor(token);
      const ended = idle.begin();
      try {
        log('info', `run ${params.runId}: ${params.goal} ${describeTarget(params.target)} in ${params.file}`);
        const proposal = await runEngine(params, {
          signal,
          onStep: (step) =>
            void connection.sendNotification(DidStepNotification, { runId: params.runId, step }),
          onLog: (runLog) =>
            void connection.sendNotification(DidUpdateLogNotification, { runId: params.runId, runLog }),
          log: (level, message) => log(level, `run ${params.runId}: ${message}`),
        });
        // A cancelled run never yields a proposal, even one that finished while the cancel was queued.
        if (signal.aborted) throw new AnnealError('cancelled', 'The run was cancelled. Nothing was changed.');
        return proposal;
      } finally {
        dispose();
        ended();
      }
    }),
  );

  connection.onRequest(
    CheckRequest,
    handler(CheckParams, log, async (params, token) => {
      const { signal, dispose } = abortSignalFor(token);
      try {
        return await checkFiles(params, signal);
      } finally {
        dispose();
      }
    }),
  );

  connection.onRequest(
    FindSymbolRequest,
    handler(FindSymbolParams, log, (params) => findSymbol(params)),
  );

  connection.onRequest(ShutdownRequest, () => {
    log('info', 'shutdown requested');
    // Answer first, then leave: the reply is written asynchronously after this returns, so give
    // it a moment to reach the client before the process exits.
    setTimeout(options.exit, 100);
  });
}

type Handler<R> = (params: unknown, token: CancellationToken) => Promise<R | ResponseError<ErrorData>>;

/** Wraps a handler: zod-parse the params, map every failure to a ResponseError carrying ErrorData. */
function handler<S extends z.ZodType, R>(
  schema: S,
  log: (level: AgentLogParams['level'], message: string) => void,
  body: (params: z.infer<S>, token: CancellationToken) => R | Promise<R>,
): Handler<R> {
  return async (raw, token) => {
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) {
      const hint = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`)
        .join('; ');
      log('warn', `rejected invalid params: ${hint}`);
      return new ResponseError<ErrorData>(ErrorCodes.InvalidParams, 'The request parameters are invalid.', {
        reason: 'badInput',
        hint,
      });
    }
    try {
      return await body(parsed.data, token);
    } catch (e) {
      const error = toResponseError(e, token.isCancellationRequested);
      if (error.data?.reason === 'internal')
        log('error', e instanceof Error ? (e.stack ?? e.message) : String(e));
      return error;
    }
  };
}

/** Turns the JSON-RPC cancellation token into the AbortSignal the engine, SDKs and children use. */
function abortSignalFor(token: CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

function describeTarget(target: z.infer<typeof RunParams>['target']): string {
  switch (target.kind) {
    case 'file':
      return 'file';
    case 'symbol':
      return `symbol ${target.name}`;
    case 'range':
      return `lines ${target.startLine + 1}-${target.endLine + 1}`;
  }
}
