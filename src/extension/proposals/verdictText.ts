import { errorCount, type ValidationReport } from '../../protocol/reports';
import type { Verdict } from '../../protocol/runLog';

/** The verdict as the diff title and the proposal list show it: "✓ validated", "✗ 2 errors remain". */
export function verdictText(verdict: Verdict, reports: readonly ValidationReport[]): string {
  const errors = errorCount(reports);
  if (verdict === 'validated') return '✓ validated';
  const remain = `✗ ${errors} ${errors === 1 ? 'error remains' : 'errors remain'}`;
  switch (verdict) {
    case 'errors_remain':
      return remain;
    case 'needs_model':
      return `${remain}, needs a model`;
    case 'failed':
      return `✗ failed${errors > 0 ? `, ${errors} ${errors === 1 ? 'error remains' : 'errors remain'}` : ''}`;
    case 'cancelled':
      return '✗ cancelled';
  }
}

/** The diff editor's title: `cart.ts ↔ Anneal proposal (✓ validated)`. */
export function diffTitle(fileName: string, verdict: Verdict, reports: readonly ValidationReport[]): string {
  return `${fileName} ↔ Anneal proposal (${verdictText(verdict, reports)})`;
}
