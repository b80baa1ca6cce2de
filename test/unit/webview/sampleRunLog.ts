import type { ValidationReport } from '../../../src/protocol/reports';
import type { RunLog } from '../../../src/protocol/runLog';

export const CART = '/workspace/shop/src/cart.ts';

function report(
  partial: Partial<ValidationReport> & Pick<ValidationReport, 'line' | 'message' | 'code' | 'category'>,
): ValidationReport {
  return {
    file: CART,
    character: 4,
    endLine: partial.line,
    endCharacter: 12,
    severity: 'error',
    tool: 'tsc',
    ...partial,
  };
}

export const reportsBefore: ValidationReport[] = [
  report({ line: 11, code: 'TS2304', category: 'undefined_name', message: "Cannot find name 'roundCents'." }),
  report({
    line: 14,
    code: 'TS2322',
    category: 'type_mismatch',
    message: "Type 'string' is not assignable to type 'number'.",
  }),
  report({
    line: 19,
    code: 'TS2345',
    category: 'type_mismatch',
    message: "Argument of type 'Item[] | undefined' is not assignable to parameter of type 'Item[]'.",
  }),
  report({
    line: 2,
    character: 0,
    code: 'TS2552',
    category: 'missing_import',
    message: "Cannot find name 'Money'. Did you mean 'Number'?",
  }),
];

/** A finished repair: one zero-token fix, then two attempts 3 → 1 → 0; validated. */
export function sampleRunLog(overrides: Partial<RunLog> = {}): RunLog {
  const t0 = 1_764_000_000_000;
  const remaining = reportsBefore.slice(1, 2);
  return {
    runId: 'run-1',
    goal: 'repair',
    file: CART,
    target: 'applyDiscount',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    startedAt: t0,
    durationMs: 8_420,
    steps: [
      { id: 1, name: 'Plan', status: 'done', startedAt: t0, durationMs: 3 },
      {
        id: 2,
        name: 'Gather context',
        status: 'done',
        startedAt: t0 + 3,
        durationMs: 41,
        detail: '3 declarations, 1 test file',
      },
      { id: 3, name: 'Validate', status: 'done', startedAt: t0 + 44, durationMs: 380, detail: '4 errors' },
      {
        id: 4,
        name: 'Zero-token fixes',
        status: 'done',
        startedAt: t0 + 424,
        durationMs: 95,
        detail: '1 fixed: add missing import',
      },
      {
        id: 5,
        name: 'Repair attempt 1',
        status: 'done',
        startedAt: t0 + 519,
        durationMs: 3_900,
        tokens: { input: 2_310, output: 412 },
      },
      {
        id: 6,
        name: 'Repair attempt 2',
        status: 'done',
        startedAt: t0 + 4_419,
        durationMs: 3_600,
        tokens: { input: 2_540, output: 198 },
      },
      {
        id: 7,
        name: 'Tests',
        status: 'skipped',
        startedAt: t0 + 8_019,
        detail: 'no test command configured',
      },
      { id: 8, name: 'Stage proposal', status: 'done', startedAt: t0 + 8_020, durationMs: 12 },
    ],
    reportsBefore,
    reportsAfter: [],
    fixes: [
      {
        tool: 'tsc',
        fixName: 'import',
        description: "Add import from './money'",
        code: 'TS2552',
        line: 2,
      },
    ],
    attempts: [
      {
        n: 1,
        errorsIn: 3,
        errorsOut: 1,
        success: false,
        tokens: { input: 2_310, output: 412 },
        durationMs: 3_900,
        edits: [
          { tool: 'patch_file', applied: true },
          { tool: 'patch_file', applied: false, error: 'old_string matches 2 places; include more context' },
        ],
        reportsOut: remaining,
      },
      {
        n: 2,
        errorsIn: 1,
        errorsOut: 0,
        success: true,
        tokens: { input: 2_540, output: 198 },
        durationMs: 3_600,
        edits: [{ tool: 'patch_file', applied: true }],
        reportsOut: [],
      },
    ],
    budget: {
      maxAttempts: 3,
      attemptsUsed: 2,
      tokenBudget: 60_000,
      tokens: { input: 4_850, output: 610 },
      estimatedCostUsd: 0.00292,
    },
    summary: {
      errorsBefore: 4,
      errorsAfter: 0,
      zeroTokenFixes: 1,
      repairAttempts: 2,
      repairSuccessRate: 0.5,
      repairTokens: { input: 4_850, output: 610 },
    },
    verdict: 'validated',
    message: 'All errors fixed in 2 attempts; the proposal type-checks.',
    ...overrides,
  };
}
