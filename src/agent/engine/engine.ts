import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { CheckParams, CheckResult, ParsedRunParams } from '../../protocol/agentProtocol';
import { CheckParams as CheckParamsSchema, RunParams as RunParamsSchema } from '../../protocol/agentProtocol';
import type { Proposal } from '../../protocol/proposal';
import { errorCount, type ValidationReport } from '../../protocol/reports';
import type { RunLog, RunStep, Verdict } from '../../protocol/runLog';
import { AnnealError } from '../annealError';
import { TsCodeFixer } from '../fixers/tsCodeFixer';
import { RunLogBuilder } from '../runLog/runLogBuilder';
import type { TsProject } from '../validators/typescript/tsProject';
import { TsProjectRegistry } from '../validators/typescript/tsProjectRegistry';
import {
  TypeScriptValidator,
  isTypeScriptLike,
  toReports,
} from '../validators/typescript/typescriptValidator';
import type { ValidationInput } from '../validators/validator';
import { assertInsideWorkspace, loadTarget, restoreShape, type TargetText } from '../workspace/fileGuard';
import { findProjectRoot } from '../workspace/projectRoot';
import { TargetScope, accountableReports, describeTarget } from './targetScope';
import { validateAll, type ValidationSet } from './validationSet';

export type LogLevel = 'info' | 'warn' | 'error' | 'debug';

/** Callbacks a run reports through; all optional. */
export interface EngineHooks {
  signal?: AbortSignal;
  onStep?: (step: RunStep) => void;
  onLog?: (log: RunLog) => void;
  log?: (level: LogLevel, message: string) => void;
}

/** What the model stages (generation, repair) get from the engine. */
export interface ModelStageContext {
  params: ParsedRunParams;
  target: TargetText;
  scope: TargetScope;
  projectDir: string;
  set: ValidationSet;
  baseReports: ValidationReport[];
  runLog: RunLogBuilder;
  signal: AbortSignal;
  hooks: EngineHooks;
  /** Validates a candidate (in memory) and returns the reports the run answers for, plus all of them. */
  evaluate(
    text: string,
    opts?: { slow?: boolean },
  ): Promise<{ accountable: ValidationReport[]; all: ValidationReport[] }>;
  /** Applies the zero-token fixers to a candidate. */
  zeroTokenFix(text: string): Promise<string>;
  /** The warm TypeScript project of the file (for signatures from the type checker), if it has one. */
  tsProject?: () => TsProject | undefined;
  /**
   * A repair with an instruction on a target no tool reports an error in (a logic bug): the model
   * is asked even with zero errors. When the tools did find errors, their zero-token fixes come
   * first and the model is called only for what they leave.
   */
  logicRepair?: boolean;
}

/** What a model stage hands back: the best text it found and why it stopped. */
export interface ModelStageResult {
  text: string;
  message: string;
}

/**
 * The model-driven part of a run (generation and repair). Returns undefined when no model is
 * configured, with the reason in `message` for the user.
 */
export type ModelStage = (
  ctx: ModelStageContext,
  current: { text: string; accountable: ValidationReport[] },
) => Promise<ModelStageResult | { text?: undefined; message: string }>;

const NEVER = new AbortController().signal;

function summarise(reports: readonly ValidationReport[]): string {
  const counts = new Map<string, number>();
  for (const r of reports)
    if (r.severity === 'error') counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
  return [...counts].map(([c, n]) => `${c}: ${n}`).join(', ');
}

/**
 * Plans and runs one repair or generation: read → validate → zero-token fixes → model stages →
 * verdict. Never writes to the user's files: the result is a proposal.
 */
export class Engine {
  readonly tsRegistry: TsProjectRegistry;
  private readonly tsValidator: TypeScriptValidator;
  private readonly tsCheckValidator: TypeScriptValidator;
  private readonly tsFixer: TsCodeFixer;

  constructor(
    private readonly opts: {
      maxProjects?: number;
      modelStage?: ModelStage;
      /** Extra validators and fixers for a file (Python, ESLint, tests), set by the host. */
      extraValidation?: (file: string, params: ParsedRunParams, projectDir: string) => Partial<ValidationSet>;
    } = {},
  ) {
    this.tsRegistry = new TsProjectRegistry(opts.maxProjects);
    this.tsValidator = new TypeScriptValidator(this.tsRegistry);
    this.tsCheckValidator = new TypeScriptValidator(this.tsRegistry, { tscParity: true });
    this.tsFixer = new TsCodeFixer(this.tsRegistry);
  }

  /** The validators and fixers for one file under the run's settings. */
  validationSet(
    file: string,
    params: ParsedRunParams,
    projectDir: string,
    scope?: TargetScope,
  ): ValidationSet {
    const set: ValidationSet = { validators: [], slowValidators: [], fixers: [] };
    if (isTypeScriptLike(file) && params.settings.validators.typescript) {
      set.validators.push(this.tsValidator);
      set.fixers.push(scope ? this.tsFixer.withScope((text, r) => scope.contains(text, r)) : this.tsFixer);
    }
    const extra = this.opts.extraValidation?.(file, params, projectDir);
    if (extra) {
      set.validators.push(...(extra.validators ?? []));
      set.slowValidators.push(...(extra.slowValidators ?? []));
      set.fixers.push(...(extra.fixers ?? []));
    }
    return set;
  }

  async run(params: ParsedRunParams, hooks: EngineHooks = {}): Promise<Proposal> {
    const settings = params.settings;
    const file = resolve(params.file);
    const runLog = new RunLogBuilder(
      {
        runId: params.runId,
        goal: params.goal,
        file,
        target: describeTarget(params.target),
        provider: settings.provider,
        model: settings.model,
        maxAttempts: settings.maxAttempts,
        tokenBudget: settings.tokenBudget,
      },
      { onStep: hooks.onStep, onLog: hooks.onLog },
    );
    const signal = AbortSignal.any([hooks.signal ?? NEVER, AbortSignal.timeout(settings.timeoutMs)]);
    try {
      const target = await runLog.inStep('Read target', async (h) => {
        const t = loadTarget(file, { workspaceRoot: params.workspaceRoot, text: params.text });
        h.done(
          `${t.text.split('\n').length} lines${params.text !== undefined ? ' (unsaved editor text)' : ''}`,
        );
        return t;
      });
      if (!params.trusted) {
        throw new AnnealError(
          'untrusted',
          'This workspace is not trusted, so Anneal runs no compiler, linter or test in it. Trust the workspace (Manage Workspace Trust) to use Anneal here.',
        );
      }
      const projectDir = params.projectDir
        ? resolve(params.projectDir)
        : findProjectRoot(file, params.workspaceRoot);
      if (params.workspaceRoot) assertInsideWorkspace(projectDir, params.workspaceRoot);
      const scope = TargetScope.create(file, params.target, target.text);
      const set = this.validationSet(file, params, projectDir, scope);
      if (set.validators.length === 0) {
        throw new AnnealError(
          'badInput',
          `No validator is enabled for ${file}. Turn the language's validator on in the settings (anneal.validators).`,
        );
      }
      const input = (text: string): ValidationInput => ({ file, text, projectDir, signal });
      for (const project of isTypeScriptLike(file) ? [this.tsRegistry.projectFor(file, projectDir)] : [])
        project.refreshFromDisk();

      const base = await runLog.inStep('Validate', async (h) => {
        const reports = await validateAll(set, input(target.text), { slow: params.goal === 'repair' });
        h.done(`${errorCount(reports)} errors in the file`);
        return reports;
      });
      // The run answers for the target's errors only; the rest of the file is context.
      runLog.setReportsBefore(accountableReports(scope, base, target.text, base));
      const evaluate = async (text: string, opts: { slow?: boolean } = {}) => {
        signal.throwIfAborted();
        const all = await validateAll(set, input(text), { slow: opts.slow ?? true });
        return { all, accountable: accountableReports(scope, base, text, all) };
      };
      const zeroTokenFix = async (text: string): Promise<string> => {
        let current = text;
        for (const fixer of set.fixers) {
          signal.throwIfAborted();
          const all = await validateAll(set, input(current), { slow: false });
          const mine = accountableReports(scope, base, current, all).filter((r) => r.tool === fixer.tool);
          if (errorCount(mine) === 0) continue;
          const result = await fixer.fix(input(current), mine);
          if (result.fixes.length > 0) runLog.addFixes(result.fixes);
          current = result.text;
        }
        return current;
      };

      let current = target.text;
      let accountable = accountableReports(scope, base, current, base);
      if (errorCount(accountable) > 0 && params.goal === 'repair') {
        current = await runLog.inStep('Zero-token fixes', async (h) => {
          const before = runLog.snapshot().fixes.length;
          const fixed = await zeroTokenFix(current);
          h.done(`${runLog.snapshot().fixes.length - before} fixes applied`);
          return fixed;
        });
        if (current !== target.text) {
          accountable = await runLog.inStep('Re-validate', async (h) => {
            const r = await evaluate(current);
            h.done(`${errorCount(r.accountable)} errors left in the target`);
            return r.accountable;
          });
        }
      }

      let verdict: Verdict;
      let message: string;
      // An instruction asks for a change even when no tool reports an error (a logic bug). When the
      // tools did report errors and the compiler's own fixes cleared them, the run stays at zero tokens.
      const logicRepair =
        params.goal === 'repair' &&
        !!params.instruction?.trim() &&
        errorCount(accountableReports(scope, base, target.text, base)) === 0;
      const needsModel = params.goal === 'generate' || logicRepair || errorCount(accountable) > 0;
      if (needsModel) {
        const stage = this.opts.modelStage;
        const ctx: ModelStageContext = {
          params,
          target,
          scope,
          projectDir,
          set,
          baseReports: base,
          runLog,
          signal,
          hooks,
          evaluate,
          zeroTokenFix,
          tsProject: () =>
            isTypeScriptLike(file) ? this.tsRegistry.projectFor(file, projectDir) : undefined,
          logicRepair,
        };
        const result = stage
          ? await stage(ctx, { text: current, accountable })
          : { message: 'No model stage is available in this build.' };
        if (result.text !== undefined) {
          current = result.text;
          accountable = (await evaluate(current)).accountable;
          const stillStub = params.goal === 'generate' && scope.symbolIn(current)?.isStub === true;
          verdict = errorCount(accountable) === 0 && !stillStub ? 'validated' : 'errors_remain';
          message = stillStub
            ? `The function is still a stub: no implementation passed. ${result.message}`.trim()
            : verdict === 'validated'
              ? `Validated: ${runLog.snapshot().fixes.length} zero-token fixes, ${runLog.snapshot().attempts.length} model attempts. ${result.message}`.trim()
              : `${plural(errorCount(accountable), 'error remains', 'errors remain')} (${summarise(accountable)}). ${result.message}`.trim();
        } else {
          verdict = 'needs_model';
          const left = errorCount(accountable);
          message =
            params.goal === 'generate'
              ? `Generating code needs a model. ${result.message}`
              : `${plural(left, 'error remains that needs', 'errors remain that need')} a model (${summarise(accountable)}). ${result.message}`;
        }
      } else {
        verdict = 'validated';
        const fixes = runLog.snapshot().fixes.length;
        message =
          fixes > 0
            ? `Validated: ${fixes} zero-token fix${fixes === 1 ? '' : 'es'}, no model call.${
                params.instruction?.trim()
                  ? ' Your instruction was not sent to a model because these fixes cleared every error; approve them and run it again to change the logic.'
                  : ''
              }`
            : 'No errors in the target: nothing to change.';
      }
      runLog.setReportsAfter(accountable);
      const log = runLog.finish(verdict, message);
      return {
        id: randomUUID(),
        file,
        baseHash: target.baseHash,
        baseText: target.baseText,
        newText: current === target.text ? target.baseText : restoreShape(target, current),
        verdict,
        reports: accountable,
        runLog: log,
        createdAt: Date.now(),
      };
    } catch (e) {
      const cancelled = signal.aborted && !AnnealError.is(e);
      const err = cancelled
        ? hooks.signal?.aborted
          ? new AnnealError('cancelled', 'The run was cancelled. Your files are unchanged.')
          : new AnnealError(
              'timeout',
              `The run took longer than ${settings.timeoutMs / 1000}s and was stopped. Your files are unchanged; raise anneal.timeoutSeconds or target a smaller function.`,
            )
        : AnnealError.is(e)
          ? e
          : new AnnealError(
              'internal',
              `Anneal failed: ${e instanceof Error ? e.message : String(e)}. Your files are unchanged.`,
              undefined,
              { cause: e },
            );
      runLog.finish(err.reason === 'cancelled' ? 'cancelled' : 'failed', err.message);
      throw err;
    }
  }

  /** agent/check and `anneal check`: in-memory diagnostics for files. */
  async check(raw: CheckParams, signal?: AbortSignal): Promise<CheckResult> {
    const params = CheckParamsSchema.parse(raw);
    if (!params.trusted) {
      throw new AnnealError(
        'untrusted',
        'This workspace is not trusted, so Anneal runs no compiler or linter in it. Trust the workspace to check files.',
      );
    }
    const files: CheckResult['files'] = [];
    const configsSeen = new Set<string>();
    for (const f of params.files) {
      signal?.throwIfAborted();
      const file = resolve(f);
      const target = loadTarget(file, {
        workspaceRoot: params.workspaceRoot,
        text: params.overlays?.[file] ?? params.overlays?.[f],
      });
      const projectDir = params.projectDir
        ? resolve(params.projectDir)
        : findProjectRoot(file, params.workspaceRoot);
      const runParams = RunParamsSchema.parse({
        runId: 'check',
        goal: 'repair',
        file,
        target: { kind: 'file' },
        trusted: params.trusted,
        settings: { validators: { typescript: true, eslint: true, tests: false, python: true } },
      });
      const set = this.validationSet(file, runParams, projectDir);
      if (isTypeScriptLike(file)) {
        const project = this.tsRegistry.projectFor(file, projectDir);
        project.refreshFromDisk();
        if (
          project.configFile &&
          project.configDiagnostics.length > 0 &&
          !configsSeen.has(project.configFile)
        ) {
          configsSeen.add(project.configFile);
          files.push({
            file: project.configFile,
            reports: toReports(project, project.configFile, project.configDiagnostics),
          });
        }
      }
      set.validators = set.validators.map((v) => (v === this.tsValidator ? this.tsCheckValidator : v));
      const reports = await validateAll(
        set,
        { file, text: target.text, projectDir, signal },
        { slow: false },
      );
      files.push({ file, reports });
    }
    return { files };
  }

  dispose(): void {
    this.tsRegistry.clear();
  }
}

/** A run id for callers that do not bring one. */
export function newRunId(): string {
  return randomUUID();
}

/** "1 error remains", "2 errors remain". */
function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
