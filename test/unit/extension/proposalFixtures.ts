import { createHash } from 'node:crypto';
import type { Proposal } from '../../../src/protocol/proposal';
import type { ValidationReport } from '../../../src/protocol/reports';
import type { RunLog } from '../../../src/protocol/runLog';

export function report(over: Partial<ValidationReport> = {}): ValidationReport {
  return {
    file: '/ws/src/cart.ts',
    line: 1,
    character: 4,
    endLine: 1,
    endCharacter: 9,
    code: 'TS2304',
    category: 'undefined_name',
    severity: 'error',
    message: "Cannot find name 'total'.",
    tool: 'tsc',
    ...over,
  };
}

export function runLog(over: Partial<RunLog> = {}): RunLog {
  return {
    runId: 'run-1',
    goal: 'repair',
    file: '/ws/src/cart.ts',
    target: 'file',
    provider: 'none',
    startedAt: 1,
    durationMs: 5,
    steps: [],
    reportsBefore: [],
    reportsAfter: [],
    fixes: [],
    attempts: [],
    budget: {
      maxAttempts: 3,
      attemptsUsed: 0,
      tokenBudget: 1000,
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
    verdict: 'validated',
    message: '',
    ...over,
  };
}

export function proposal(over: Partial<Proposal> = {}): Proposal {
  const baseText = over.baseText ?? 'const a = 1;\n';
  return {
    id: 'p-1',
    file: '/ws/src/cart.ts',
    baseHash: createHash('sha256').update(baseText, 'utf8').digest('hex'),
    baseText,
    newText: 'const a = 2;\n',
    verdict: 'validated',
    reports: [],
    runLog: runLog(),
    createdAt: 100,
    ...over,
  };
}
