import type { ValidationReport } from '../../protocol/reports';
import { errorCount } from '../../protocol/reports';
import type { AppliedFix, RepairAttempt, RunLog, RunStep, TokenUsage, Verdict } from '../../protocol/runLog';

export interface RunLogEvents {
  onStep?: (step: RunStep) => void;
  onLog?: (log: RunLog) => void;
}

/** A step in progress: finish it exactly once. */
export interface StepHandle {
  readonly step: RunStep;
  done(detail?: string, tokens?: TokenUsage): void;
  fail(detail: string): void;
  skip(detail: string): void;
}

/** Records a run as it happens and emits each change (the plan log streams from here). */
export class RunLogBuilder {
  private readonly log: RunLog;
  private nextStepId = 1;
  private readonly clock: () => number;

  constructor(
    init: Pick<RunLog, 'runId' | 'goal' | 'file' | 'target' | 'provider' | 'model'> & {
      maxAttempts: number;
      tokenBudget: number;
    },
    private readonly events: RunLogEvents = {},
    clock: () => number = Date.now,
  ) {
    this.clock = clock;
    const now = clock();
    this.log = {
      runId: init.runId,
      goal: init.goal,
      file: init.file,
      target: init.target,
      provider: init.provider,
      model: init.model,
      startedAt: now,
      durationMs: 0,
      steps: [],
      reportsBefore: [],
      reportsAfter: [],
      fixes: [],
      attempts: [],
      budget: {
        maxAttempts: init.maxAttempts,
        attemptsUsed: 0,
        tokenBudget: init.tokenBudget,
        tokens: { input: 0, output: 0 },
        estimatedCostUsd: 0,
      },
      summary: {
        errorsBefore: 0,
        errorsAfter: 0,
        zeroTokenFixes: 0,
        repairAttempts: 0,
        repairSuccessRate: 0,
        repairTokens: { input: 0, output: 0 },
      },
      verdict: 'failed',
      message: '',
    };
  }

  setProvider(provider: string, model: string | undefined): void {
    this.log.provider = provider;
    this.log.model = model;
    this.emit();
  }

  step(name: string): StepHandle {
    const step: RunStep = { id: this.nextStepId++, name, status: 'running', startedAt: this.clock() };
    this.log.steps.push(step);
    this.events.onStep?.({ ...step });
    this.emit();
    let finished = false;
    const finish = (status: RunStep['status'], detail?: string, tokens?: TokenUsage) => {
      if (finished) return;
      finished = true;
      step.status = status;
      step.durationMs = Math.max(0, this.clock() - step.startedAt);
      if (detail !== undefined) step.detail = detail;
      if (tokens) step.tokens = tokens;
      this.events.onStep?.({ ...step });
      this.emit();
    };
    return {
      step,
      done: (detail, tokens) => finish('done', detail, tokens),
      fail: (detail) => finish('failed', detail),
      skip: (detail) => finish('skipped', detail),
    };
  }

  /** Runs `fn` as a step; a throw marks the step failed and propagates. */
  async inStep<T>(name: string, fn: (h: StepHandle) => Promise<T>): Promise<T> {
    const h = this.step(name);
    try {
      const value = await fn(h);
      h.done();
      return value;
    } catch (e) {
      h.fail(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  setReportsBefore(reports: ValidationReport[]): void {
    this.log.reportsBefore = reports;
    this.log.summary.errorsBefore = errorCount(reports);
    this.emit();
  }

  setReportsAfter(reports: ValidationReport[]): void {
    this.log.reportsAfter = reports;
    this.log.summary.errorsAfter = errorCount(reports);
    this.emit();
  }

  addFixes(fixes: AppliedFix[]): void {
    this.log.fixes.push(...fixes);
    this.log.summary.zeroTokenFixes = this.log.fixes.length;
    this.emit();
  }

  /** Tokens spent outside repair attempts (generation, spec). */
  addTokens(tokens: TokenUsage, costUsd = 0): void {
    this.log.budget.tokens.input += tokens.input;
    this.log.budget.tokens.output += tokens.output;
    this.log.budget.estimatedCostUsd += costUsd;
    this.emit();
  }

  addAttempt(attempt: RepairAttempt, costUsd = 0): void {
    this.log.attempts.push(attempt);
    this.log.budget.attemptsUsed = this.log.attempts.length;
    this.log.summary.repairAttempts = this.log.attempts.length;
    this.log.summary.repairSuccessRate =
      this.log.attempts.filter((a) => a.success).length / Math.max(1, this.log.attempts.length);
    this.log.summary.repairTokens.input += attempt.tokens.input;
    this.log.summary.repairTokens.output += attempt.tokens.output;
    this.addTokens(attempt.tokens, costUsd);
  }

  get tokensUsed(): number {
    return this.log.budget.tokens.input + this.log.budget.tokens.output;
  }

  finish(verdict: Verdict, message: string): RunLog {
    this.log.verdict = verdict;
    this.log.message = message;
    this.log.durationMs = Math.max(0, this.clock() - this.log.startedAt);
    for (const s of this.log.steps) {
      if (s.status === 'running') {
        s.status = verdict === 'cancelled' ? 'skipped' : 'failed';
        s.durationMs = Math.max(0, this.clock() - s.startedAt);
      }
    }
    this.emit();
    return this.snapshot();
  }

  snapshot(): RunLog {
    return structuredClone(this.log);
  }

  private emit(): void {
    this.log.durationMs = Math.max(0, this.clock() - this.log.startedAt);
    this.events.onLog?.(this.snapshot());
  }
}
