import type { ValidationReport } from '../../protocol/reports';
import type { ValidationInput, Validator, ZeroTokenFixer } from '../validators/validator';

/** The validators and fixers that apply to one file in one run. */
export interface ValidationSet {
  /** Fast, in-memory checks run on every candidate (compiler, linters). */
  validators: Validator[];
  /** Slow checks (tests) run on candidates that pass the fast ones. */
  slowValidators: Validator[];
  fixers: ZeroTokenFixer[];
}

function sortReports(reports: ValidationReport[]): ValidationReport[] {
  return reports.sort((a, b) => a.line - b.line || a.character - b.character || a.code.localeCompare(b.code));
}

/**
 * Runs the set on one candidate text. Slow validators run only when asked and only when the
 * fast ones found no error, so tests never run on code that does not compile.
 */
export async function validateAll(
  set: ValidationSet,
  input: ValidationInput,
  opts: { slow: boolean },
): Promise<ValidationReport[]> {
  const fast = (await Promise.all(set.validators.map((v) => v.validate(input)))).flat();
  if (!opts.slow || set.slowValidators.length === 0 || fast.some((r) => r.severity === 'error')) {
    return sortReports(fast);
  }
  input.signal?.throwIfAborted();
  const slow = (await Promise.all(set.slowValidators.map((v) => v.validate(input)))).flat();
  return sortReports([...fast, ...slow]);
}
