/**
 * The extension ↔ agent host channel (JSON-RPC over IPC, or stdio with `agent.js --stdio`).
 * Every message is declared here once; params are validated with these schemas where received.
 * Documented for other clients in docs/protocol.md.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import { z } from 'zod';
import type { ErrorData } from './errorReasons';
import { Proposal } from './proposal';
import { ValidationReport } from './reports';
import { RunLog, RunStep } from './runLog';

export const ProviderId = z.enum(['none', 'auto', 'openai', 'anthropic', 'openai-compatible']);
export type ProviderId = z.infer<typeof ProviderId>;

/** What to work on inside the file. Lines are 0-based and inclusive. */
export const RunTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file') }),
  z.object({ kind: z.literal('symbol'), name: z.string().min(1) }),
  z.object({
    kind: z.literal('range'),
    startLine: z.number().int().nonnegative(),
    endLine: z.number().int().nonnegative(),
  }),
]);
export type RunTarget = z.infer<typeof RunTarget>;

/** Engine settings; every loop they govern is bounded. */
export const RunSettings = z.object({
  provider: ProviderId.default('auto'),
  /** `provider:model` or a bare model name for the chosen provider. */
  model: z.string().optional(),
  baseUrl: z.string().optional(),
  maxAttempts: z.number().int().min(0).max(10).default(3),
  candidates: z.number().int().min(1).max(8).default(1),
  /** Largest share of the target's lines one attempt may change (0–1). */
  diffCap: z.number().min(0.05).max(1).default(0.5),
  tokenBudget: z.number().int().positive().default(60_000),
  testCommand: z.string().optional(),
  validators: z
    .object({
      typescript: z.boolean().default(true),
      eslint: z.boolean().default(true),
      tests: z.boolean().default(true),
      python: z.boolean().default(true),
    })
    .default({ typescript: true, eslint: true, tests: true, python: true }),
  /** Wall-clock limit for the whole run. */
  timeoutMs: z.number().int().positive().default(300_000),
  /** Per model call. */
  requestTimeoutMs: z.number().int().positive().default(120_000),
});
export type RunSettings = z.infer<typeof RunSettings>;

/** Keys come from SecretStorage or the environment; never logged, never echoed. */
export const ApiKeys = z.object({ openai: z.string().optional(), anthropic: z.string().optional() });
export type ApiKeys = z.infer<typeof ApiKeys>;

export const RunParams = z.object({
  runId: z.string().min(1),
  goal: z.enum(['repair', 'generate']),
  /** Absolute path of the file. */
  file: z.string().min(1),
  /** The editor's text, unsaved edits included; read from disk when absent. */
  text: z.string().optional(),
  target: RunTarget,
  instruction: z.string().optional(),
  /** Files outside this folder can be neither read nor written. */
  workspaceRoot: z.string().optional(),
  projectDir: z.string().optional(),
  /** Workspace Trust: when false no tool, test or linter runs. */
  trusted: z.boolean().default(true),
  settings: RunSettings.default(RunSettings.parse({})),
  apiKeys: ApiKeys.optional(),
});
export type RunParams = z.input<typeof RunParams>;
export type ParsedRunParams = z.infer<typeof RunParams>;

export const InitializeParams = z.object({ clientName: z.string(), clientVersion: z.string().optional() });
export type InitializeParams = z.infer<typeof InitializeParams>;
export const InitializeResult = z.object({ version: z.string(), pid: z.number().int() });
export type InitializeResult = z.infer<typeof InitializeResult>;

export const CheckParams = z.object({
  files: z.array(z.string().min(1)).min(1),
  projectDir: z.string().optional(),
  /** Unsaved text by path. */
  overlays: z.record(z.string(), z.string()).optional(),
  workspaceRoot: z.string().optional(),
  trusted: z.boolean().default(true),
});
export type CheckParams = z.input<typeof CheckParams>;
export const CheckResult = z.object({
  files: z.array(z.object({ file: z.string(), reports: z.array(ValidationReport) })),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A function-like declaration located by the agent's own parser (fallback for symbol providers). */
export const FindSymbolParams = z.object({
  file: z.string(),
  text: z.string(),
  line: z.number().int().nonnegative(),
  character: z.number().int().nonnegative(),
});
export type FindSymbolParams = z.infer<typeof FindSymbolParams>;
export const FindSymbolResult = z.object({
  symbol: z
    .object({
      name: z.string(),
      startLine: z.number().int().nonnegative(),
      endLine: z.number().int().nonnegative(),
      isStub: z.boolean(),
    })
    .nullable(),
});
export type FindSymbolResult = z.infer<typeof FindSymbolResult>;

export const StepNotificationParams = z.object({ runId: z.string(), step: RunStep });
export type StepNotificationParams = z.infer<typeof StepNotificationParams>;
export const LogNotificationParams = z.object({ runId: z.string(), runLog: RunLog });
export type LogNotificationParams = z.infer<typeof LogNotificationParams>;
export const AgentLogParams = z.object({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
  message: z.string(),
});
export type AgentLogParams = z.infer<typeof AgentLogParams>;

// Failed requests carry ErrorData in `ResponseError.data` (see errorReasons.ts).
/** client → agent: handshake; returns the agent's version and pid. */
export const InitializeRequest = new RequestType<InitializeParams, InitializeResult, ErrorData>(
  'agent/initialize',
);
/** client → agent: run the engine on one target; returns the proposal (nothing is written). */
export const RunRequest = new RequestType<RunParams, Proposal, ErrorData>('agent/run');
/** client → agent: validate files in memory; returns their reports. */
export const CheckRequest = new RequestType<CheckParams, CheckResult, ErrorData>('agent/check');
/** client → agent: find the function-like declaration at a position. */
export const FindSymbolRequest = new RequestType<FindSymbolParams, FindSymbolResult, ErrorData>(
  'agent/findSymbol',
);
/** client → agent: release caches and exit cleanly. */
export const ShutdownRequest = new RequestType0<void, ErrorData>('agent/shutdown');

/** agent → client: a plan step started or finished. */
export const DidStepNotification = new NotificationType<StepNotificationParams>('run/didStep');
/** agent → client: the whole run log so far (after each step, report and attempt). */
export const DidUpdateLogNotification = new NotificationType<LogNotificationParams>('run/didUpdateLog');
/** agent → client: a line for the client's log. */
export const LogNotification = new NotificationType<AgentLogParams>('agent/log');
