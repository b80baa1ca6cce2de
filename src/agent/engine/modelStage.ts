import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { errorCount, type ValidationReport } from '../../protocol/reports';
import type { RepairAttempt, TokenUsage } from '../../protocol/runLog';
import { AnnealError } from '../annealError';
import { EDIT_TOOLS, applyToolCall } from '../edits/editTools';
import { rejectAttempt } from '../edits/editGuards';
import { estimateCostUsd } from '../providers/pricing';
import type { ChatMessage, CompletionResult, ModelProvider } from '../providers/provider';
import {
  resolveProvider,
  type ResolveProviderOptions,
  type ResolvedProvider,
} from '../providers/providerFactory';
import { isTypeScriptLike } from '../validators/typescript/typescriptValidator';
import { buildPromptContext, estimateTokens, relatedTestFiles, type PromptContext } from './contextBuilder';
import type { ModelStage, ModelStageContext } from './engine';
import { applyFenceReply } from './fenceEdit';
import { feedbackMessage, generatePrompt, repairPrompt, SYSTEM_PROMPT } from './prompts';
import { describeTarget, type TargetSpan } from './targetScope';

/** Share of the token budget the first prompt's context may take. */
const CONTEXT_SHARE = 0.25;
/** A reply larger than this many times the file (plus a margin) is refused unread. */
const MAX_REPLY_FACTOR = 4;
const MAX_REPLY_MARGIN = 64 * 1024;

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function spanLines(span: TargetSpan, text: string): number {
  return span.whole ? text.split('\n').length : span.endLine - span.startLine + 1;
}

interface EditResult {
  text: string;
  edits: RepairAttempt['edits'];
  applied: string[];
  failed: string[];
  toolResults: { id: string; name: string; content: string }[];
}

/** Turns one model reply into an edited text: tool calls in order, else a code block. */
function applyReply(
  file: string,
  text: string,
  reply: CompletionResult,
  span: TargetSpan,
  shownWholeFile: boolean,
): EditResult {
  const out: EditResult = { text, edits: [], applied: [], failed: [], toolResults: [] };
  const size = reply.text.length + reply.toolCalls.reduce((n, c) => n + c.arguments.length, 0);
  if (size > text.length * MAX_REPLY_FACTOR + MAX_REPLY_MARGIN) {
    const error = `the reply is ${(size / 1024).toFixed(0)} KB, far larger than the file; it was not applied`;
    out.failed.push(error);
    out.edits.push({ tool: 'reply', applied: false, error });
    for (const c of reply.toolCalls)
      out.toolResults.push({ id: c.id, name: c.name, content: `Not applied: ${error}.` });
    return out;
  }
  if (reply.toolCalls.length > 0) {
    for (const call of reply.toolCalls) {
      if (call.name === 'write_file' && !shownWholeFile) {
        const error =
          'write_file is not available: you were shown only excerpts of this file. Use patch_file.';
        out.failed.push(`write_file: ${error}`);
        out.edits.push({ tool: 'write_file', applied: false, error });
        out.toolResults.push({ id: call.id, name: call.name, content: `Error: ${error}` });
        continue;
      }
      const r = applyToolCall(out.text, call);
      if (r.ok) {
        out.text = r.text;
        out.applied.push(`${r.tool} (${r.summary})`);
        out.edits.push({ tool: r.tool, applied: true });
        out.toolResults.push({ id: call.id, name: call.name, content: `Applied: ${r.summary}.` });
      } else {
        out.failed.push(`${r.tool}: ${r.error}`);
        out.edits.push({ tool: r.tool, applied: false, error: r.error });
        out.toolResults.push({ id: call.id, name: call.name, content: `Error: ${r.error}` });
      }
    }
    return out;
  }
  const fence = applyFenceReply(file, text, reply.text, span, { shownWholeFile });
  if (fence.ok) {
    out.text = fence.text;
    out.applied.push(fence.summary);
    out.edits.push({ tool: 'code_block', applied: true });
  } else {
    out.failed.push(fence.error);
    out.edits.push({ tool: 'code_block', applied: false, error: fence.error });
  }
  return out;
}

/** Signature, doc comment and examples of a generation target, for the prompt and the run log. */
function buildSpec(
  text: string,
  span: TargetSpan,
  tests: PromptContext['tests'],
): { spec: string; hasExamples: boolean } {
  const lines = text.split('\n');
  const head: string[] = [];
  for (let i = span.startLine; i <= Math.min(span.endLine, span.startLine + 40); i++) {
    const l = lines[i] ?? '';
    head.push(l);
    if (/\{\s*$/.test(l) || /:\s*(#.*)?$/.test(l)) break;
  }
  // Doc comments above the declaration belong to the spec too.
  const doc: string[] = [];
  for (let i = span.startLine - 1; i >= 0 && i >= span.startLine - 30; i--) {
    const l = lines[i] ?? '';
    if (/^\s*(\*|\/\*\*|\*\/|\/\/|#)/.test(l)) doc.unshift(l);
    else break;
  }
  const body = lines.slice(span.startLine, span.endLine + 1).join('\n');
  const docstring = /("""|''')[\s\S]*?\1/.exec(body)?.[0];
  const parts = [...doc, ...head];
  if (docstring && !parts.join('\n').includes(docstring)) parts.push(docstring);
  const hasExamples = !!tests || /example|e\.g\.|>>>|=>|returns?\b/i.test(parts.join('\n'));
  return { spec: parts.join('\n'), hasExamples };
}

function usageOf(r: CompletionResult): TokenUsage {
  return { input: r.usage.input, output: r.usage.output };
}

/** Options for tests and embedders: how providers are resolved. */
export interface ModelStageOptions {
  resolve?: (opts: ResolveProviderOptions) => Promise<ResolvedProvider>;
  env?: NodeJS.ProcessEnv;
  /** Provider retry policy (tests scale delays down). */
  retry?: ResolveProviderOptions['retry'];
}

/**
 * Generation (best-of-N, validated in memory, first pass wins) and the repair loop (model edits
 * through patch_file / write_file, re-validated after each attempt, bounded by attempts and
 * tokens, guarded against over-large, shrinking or elided edits; the best candidate is kept).
 */
export function createModelStage(options: ModelStageOptions = {}): ModelStage {
  const resolve = options.resolve ?? resolveProvider;
  return async (ctx, current) => {
    const { params, runLog } = ctx;
    const settings = params.settings;
    const resolved = await runLog.inStep('Choose model', async (h) => {
      if (settings.provider === 'none') {
        h.skip('provider none: zero-token engine only');
        return {
          provider: null,
          description: 'none',
          message: 'The provider is set to none (zero-token fixes only).',
        } as ResolvedProvider;
      }
      const r = await resolve({
        provider: settings.provider,
        model: settings.model,
        baseUrl: settings.baseUrl,
        apiKeys: params.apiKeys,
        env: options.env ?? process.env,
        requestTimeoutMs: settings.requestTimeoutMs,
        retry: options.retry,
      });
      if (r.provider) h.done(r.description);
      else h.skip(r.message ?? 'no model configured');
      return r;
    });
    if (!resolved.provider) {
      return {
        message:
          resolved.message ??
          'No model is configured: set one up in the settings (provider, model, API key).',
      };
    }
    const provider = resolved.provider;
    runLog.setProvider(provider.id, provider.model);

    let text = current.text;
    let accountable = current.accountable;
    const notes: string[] = [];
    if (params.goal === 'generate') {
      const g = await generate(ctx, provider, text);
      text = g.text;
      accountable = g.accountable;
      if (g.note) notes.push(g.note);
    }
    const instructed = !!ctx.logicRepair && text === current.text;
    if ((errorCount(accountable) > 0 || instructed) && settings.maxAttempts > 0) {
      const r = await repairLoop(ctx, provider, text, accountable);
      text = r.text;
      if (r.note) notes.push(r.note);
    }
    return { text, message: notes.join(' ') };
  };
}

async function complete(
  ctx: ModelStageContext,
  provider: ModelProvider,
  messages: ChatMessage[],
  temperature: number,
  signal: AbortSignal,
) {
  const remaining = ctx.params.settings.tokenBudget - ctx.runLog.tokensUsed;
  return provider.complete({
    system: SYSTEM_PROMPT,
    messages,
    tools: EDIT_TOOLS,
    temperature,
    maxOutputTokens: Math.max(256, Math.min(8192, remaining)),
    signal,
  });
}

function costOf(provider: ModelProvider, usage: TokenUsage): number {
  return estimateCostUsd(provider.model, usage);
}

async function generate(
  ctx: ModelStageContext,
  provider: ModelProvider,
  baseText: string,
): Promise<{ text: string; accountable: ValidationReport[]; note?: string }> {
  const { params, runLog, scope } = ctx;
  const file = ctx.target.file;
  const span = scope.spanIn(baseText);
  const relPath = relative(ctx.projectDir, file) || file;
  const context = await runLog.inStep('Gather context', async (h) => {
    const tsProject = isTypeScriptLike(file) ? ctxProject(ctx) : undefined;
    const c = buildPromptContext({
      file,
      text: baseText,
      span,
      projectDir: ctx.projectDir,
      tsProject,
      budgetTokens: Math.floor(params.settings.tokenBudget * CONTEXT_SHARE),
      targetName: span.name,
    });
    h.done(
      `${c.excerpted ? 'excerpt' : 'whole file'}, ${c.declarations.length} declarations, ${c.tests ? `tests from ${c.tests.file}` : 'no related tests'}; ~${c.tokens} tokens`,
    );
    return c;
  });
  const { spec, hasExamples } = await runLog.inStep('Spec', async (h) => {
    const s = buildSpec(baseText, span, context.tests);
    h.done(
      s.hasExamples
        ? 'signature, doc comment and examples'
        : 'signature and doc comment; the model is asked for edge cases',
    );
    return s;
  });
  const prompt = generatePrompt({
    relPath,
    file,
    targetLabel: describeTarget(params.target),
    spec,
    ctx: context,
    instruction: params.instruction,
    hasExamples,
  });
  const n = params.settings.candidates;
  const step = runLog.step(`Generate ${n} candidate${n === 1 ? '' : 's'}`);
  const race = new AbortController();
  const signal = AbortSignal.any([ctx.signal, race.signal]);
  let best: { text: string; accountable: ValidationReport[]; errors: number } | undefined;
  let passed = false;
  const tokens: TokenUsage = { input: 0, output: 0 };
  const failures: string[] = [];
  const one = async (i: number) => {
    let reply: CompletionResult;
    try {
      reply = await complete(ctx, provider, [{ role: 'user', content: prompt }], n > 1 ? 0.8 : 0, signal);
    } catch (e) {
      if (passed && signal.aborted) return;
      throw e;
    }
    tokens.input += reply.usage.input;
    tokens.output += reply.usage.output;
    runLog.addTokens(usageOf(reply), costOf(provider, usageOf(reply)));
    if (passed) return;
    const edit = applyReply(file, baseText, reply, span, !context.excerpted);
    if (edit.applied.length === 0 || edit.text === baseText) {
      failures.push(`candidate ${i + 1}: ${edit.failed.join('; ') || 'no change'}`);
      return;
    }
    // A generation replaces a stub: only the elision check applies, so the diff cap and the
    // shrink check are given the whole new text as the target (they cannot trigger).
    const newLines = edit.text.split('\n').length + baseText.split('\n').length;
    const elided = rejectAttempt(baseText, edit.text, {
      diffCap: 1,
      targetLinesBefore: newLines,
      targetLinesAfter: newLines,
    });
    if (elided) {
      failures.push(`candidate ${i + 1}: ${elided}`);
      return;
    }
    const fixed = await ctx.zeroTokenFix(edit.text);
    const { accountable } = await ctx.evaluate(fixed);
    const errors = errorCount(accountable) + (scope.symbolIn(fixed)?.isStub ? 1 : 0);
    if (!best || errors < best.errors) best = { text: fixed, accountable, errors };
    if (errors === 0 && !passed) {
      passed = true;
      race.abort();
    }
  };
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => one(i)));
  ctx.signal.throwIfAborted();
  const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!best && firstError) {
    step.fail(firstError.reason instanceof Error ? firstError.reason.message : String(firstError.reason));
    throw firstError.reason;
  }
  const chosen = best as { text: string; accountable: ValidationReport[]; errors: number } | undefined;
  if (!chosen) {
    step.fail(failures.join('; '));
    return {
      text: baseText,
      accountable: [],
      note: `The model gave no usable implementation (${failures.join('; ')}).`,
    };
  }
  step.done(passed ? 'a candidate passed validation' : `best candidate has ${chosen.errors} errors`, tokens);
  return { text: chosen.text, accountable: chosen.accountable };
}

function ctxProject(ctx: ModelStageContext) {
  // The engine's warm TypeScript project for this file, for the type checker's signatures.
  return ctx.tsProject?.();
}

async function repairLoop(
  ctx: ModelStageContext,
  provider: ModelProvider,
  startText: string,
  startReports: ValidationReport[],
): Promise<{ text: string; note?: string }> {
  const { params, runLog, scope } = ctx;
  const settings = params.settings;
  const file = ctx.target.file;
  const relPath = relative(ctx.projectDir, file) || file;
  const span = scope.spanIn(startText);
  const context = await runLog.inStep('Gather context', async (h) => {
    const c = buildPromptContext({
      file,
      text: startText,
      span,
      projectDir: ctx.projectDir,
      tsProject: isTypeScriptLike(file) ? ctxProject(ctx) : undefined,
      budgetTokens: Math.floor(settings.tokenBudget * CONTEXT_SHARE),
      targetName: span.name,
      focusLines: startReports.map((r) => r.line),
      includeImports: startReports.some(
        (r) => r.category === 'missing_import' || r.category === 'undefined_name',
      ),
    });
    const testNote = c.tests
      ? `tests from ${c.tests.file}`
      : relatedTestFiles(file, ctx.projectDir).length
        ? 'tests over budget'
        : 'no related tests';
    h.done(
      `${c.excerpted ? 'excerpt' : 'whole file'}, ${c.declarations.length} declarations, ${testNote}; ~${c.tokens} tokens`,
    );
    return c;
  });
  const messages: ChatMessage[] = [
    {
      role: 'user',
      content: repairPrompt({
        relPath,
        file,
        targetLabel: describeTarget(params.target),
        reports: startReports,
        text: startText,
        ctx: context,
        instruction: params.instruction,
      }),
    },
  ];
  let best = { text: startText, reports: startReports, errors: errorCount(startReports) };
  let working = best;
  const seen = new Map<string, number>([[hash(startText), 0]]);
  const seenReplies = new Map<string, number>();
  let repeats = 0;
  let note: string | undefined;

  for (let n = 1; n <= settings.maxAttempts; n++) {
    if (runLog.tokensUsed >= settings.tokenBudget) {
      note = `Stopped: the token budget (${settings.tokenBudget}) is used up.`;
      break;
    }
    const step = runLog.step(`Repair attempt ${n}`);
    const started = Date.now();
    let reply: CompletionResult;
    try {
      reply = await complete(ctx, provider, messages, 0, ctx.signal);
    } catch (e) {
      step.fail(e instanceof Error ? e.message : String(e));
      if (ctx.signal.aborted || n === 1 || !AnnealError.is(e)) throw e;
      note = `Stopped: the model call failed (${e.message}).`;
      break;
    }
    const tokens = usageOf(reply);
    const replyKey = hash(
      JSON.stringify([reply.text.trim(), reply.toolCalls.map((c) => [c.name, c.arguments])]),
    );
    const sameReplyAs = seenReplies.get(replyKey);
    if (sameReplyAs === undefined) seenReplies.set(replyKey, n);
    const edit = applyReply(file, working.text, reply, scope.spanIn(working.text), !context.excerpted);
    let rejected: string | undefined;
    let reportsOut = working.reports;
    let candidate = working.text;
    if (sameReplyAs !== undefined && (reply.toolCalls.length > 0 || reply.text.trim())) {
      rejected = `the same reply as attempt ${sameReplyAs}, which did not fix the errors`;
      repeats++;
    } else if (edit.applied.length === 0) {
      rejected = reply.toolCalls.length === 0 && !reply.text.trim() ? 'empty reply' : 'no edit applied';
    } else {
      const beforeSpan = scope.spanIn(working.text);
      const afterSymbol = scope.target.kind === 'symbol' ? scope.symbolIn(edit.text) : undefined;
      const afterSpan = scope.spanIn(edit.text);
      rejected = rejectAttempt(working.text, edit.text, {
        diffCap: settings.diffCap,
        targetLinesBefore: spanLines(beforeSpan, working.text),
        targetLinesAfter:
          scope.target.kind === 'symbol' && !afterSymbol ? 0 : spanLines(afterSpan, edit.text),
      });
      if (!rejected) {
        const h = hash(edit.text);
        const previous = seen.get(h);
        if (previous !== undefined) {
          rejected =
            previous === 0
              ? 'the edit changed nothing'
              : `the same change as attempt ${previous}, which did not fix the errors`;
          repeats++;
        } else {
          seen.set(h, n);
          repeats = 0;
          candidate = await ctx.zeroTokenFix(edit.text);
          reportsOut = (await ctx.evaluate(candidate)).accountable;
        }
      }
    }
    const errorsOut = rejected ? working.errors : errorCount(reportsOut);
    const changed = !rejected && candidate !== startText;
    if (!rejected && errorsOut > working.errors) {
      rejected = `it raised the errors from ${working.errors} to ${errorsOut}`;
    }
    // With no error to start from (an instruction), success is a clean change.
    const success =
      !rejected && errorsOut === 0 && (startReports.some((r) => r.severity === 'error') || changed);
    runLog.addAttempt(
      {
        n,
        errorsIn: working.errors,
        errorsOut,
        success,
        tokens,
        durationMs: Date.now() - started,
        edits: edit.edits,
        rejected,
        reportsOut,
      },
      costOf(provider, tokens),
    );
    step.done(`${working.errors} → ${errorsOut} errors${rejected ? `; rejected: ${rejected}` : ''}`, tokens);
    if (!rejected) {
      working = { text: candidate, reports: reportsOut, errors: errorsOut };
      if (errorsOut < best.errors || (success && best.text === startText)) best = working;
    }
    if (success) return { text: best.text };
    if (repeats >= 2) {
      note = 'Stopped: the model repeated the same change.';
      break;
    }
    const feedback = feedbackMessage({
      applied: edit.applied,
      failed: edit.failed,
      rejected,
      reports: working.reports,
      text: working.text,
      attemptsLeft: settings.maxAttempts - n,
    });
    messages.push({
      role: 'assistant',
      content: reply.text,
      toolCalls: reply.toolCalls.length ? reply.toolCalls : undefined,
    });
    if (edit.toolResults.length > 0) {
      edit.toolResults.forEach((t, i) => {
        const last = i === edit.toolResults.length - 1;
        messages.push({
          role: 'tool',
          toolCallId: t.id,
          name: t.name,
          content: last ? `${t.content}\n\n${feedback}` : t.content,
        });
      });
    } else {
      messages.push({ role: 'user', content: feedback });
    }
    if (estimateTokens(JSON.stringify(messages)) + runLog.tokensUsed > settings.tokenBudget) {
      note = `Stopped: the next attempt would exceed the token budget (${settings.tokenBudget}).`;
      break;
    }
  }
  const attempts = runLog.snapshot().attempts.length;
  return {
    text: best.text,
    note:
      note ??
      `Stopped after ${attempts} attempt${attempts === 1 ? '' : 's'} (the maximum); kept the best candidate (${best.errors} error${best.errors === 1 ? '' : 's'}).`,
  };
}
