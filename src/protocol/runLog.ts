// A namespace import lets bundlers drop what the schemas do not use (the webview bundle).
import * as z from 'zod';
import { ValidationReport } from './reports';

export const TokenUsage = z.object({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const StepStatus = z.enum(['running', 'done', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof StepStatus>;

/** One step of the plan: what the engine did, how long it took, what it cost. */
export const RunStep = z.object({
  id: z.number().int(),
  name: z.string(),
  status: StepStatus,
  startedAt: z.number(),
  durationMs: z.number().nonnegative().optional(),
  tokens: TokenUsage.optional(),
  detail: z.string().optional(),
});
export type RunStep = z.infer<typeof RunStep>;

/** A zero-token fix that was kept. */
export const AppliedFix = z.object({
  tool: z.string(),
  fixName: z.string(),
  description: z.string(),
  code: z.string(),
  line: z.number().int().nonnegative(),
});
export type AppliedFix = z.infer<typeof AppliedFix>;

/** One model repair attempt: errors in → errors out. */
export const RepairAttempt = z.object({
  n: z.number().int().positive(),
  errorsIn: z.number().int().nonnegative(),
  errorsOut: z.number().int().nonnegative(),
  success: z.boolean(),
  tokens: TokenUsage,
  durationMs: z.number().nonnegative(),
  /** Tool calls the model made, with whether each applied. */
  edits: z.array(z.object({ tool: z.string(), applied: z.boolean(), error: z.string().optional() })),
  /** Why the attempt's result was discarded (diff cap, elision, no edit…), if it was. */
  rejected: z.string().optional(),
  reportsOut: z.array(ValidationReport),
});
export type RepairAttempt = z.infer<typeof RepairAttempt>;

export const Verdict = z.enum(['validated', 'errors_remain', 'needs_model', 'failed', 'cancelled']);
export type Verdict = z.infer<typeof Verdict>;

/** Everything a run did, exportable as JSON and Markdown. */
export const RunLog = z.object({
  runId: z.string(),
  goal: z.enum(['repair', 'generate']),
  file: z.string(),
  target: z.string(),
  provider: z.string(),
  model: z.string().optional(),
  startedAt: z.number(),
  durationMs: z.number().nonnegative(),
  steps: z.array(RunStep),
  reportsBefore: z.array(ValidationReport),
  reportsAfter: z.array(ValidationReport),
  fixes: z.array(AppliedFix),
  attempts: z.array(RepairAttempt),
  budget: z.object({
    maxAttempts: z.number().int().nonnegative(),
    attemptsUsed: z.number().int().nonnegative(),
    tokenBudget: z.number().int().nonnegative(),
    tokens: TokenUsage,
    estimatedCostUsd: z.number().nonnegative(),
  }),
  /** Headline figures: errors before repair, attempts, success rate, tokens spent on repair. */
  summary: z.object({
    errorsBefore: z.number().int().nonnegative(),
    errorsAfter: z.number().int().nonnegative(),
    zeroTokenFixes: z.number().int().nonnegative(),
    repairAttempts: z.number().int().nonnegative(),
    repairSuccessRate: z.number().min(0).max(1),
    repairTokens: TokenUsage,
  }),
  verdict: Verdict,
  message: z.string(),
});
export type RunLog = z.infer<typeof RunLog>;
