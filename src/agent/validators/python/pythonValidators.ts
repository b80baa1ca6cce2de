import { AnnealError } from '../../annealError';
import { RuffFixer } from '../../fixers/ruffFixer';
import type { Validator, ZeroTokenFixer } from '../validator';
import { PyrightValidator } from './pyrightValidator';
import { PytestRunner } from './pytestRunner';
import { RuffValidator } from './ruffValidator';

export interface PythonValidatorOptions {
  /** Run the related pytest tests on each candidate. */
  testsEnabled: boolean;
  /** Whether the user trusts the workspace (VS Code workspace trust; the CLI passes true). */
  trusted: boolean;
  /** Per-run limit for pyright and for pytest; the process group is killed past it. */
  timeoutMs: number;
  /** Parallel pyright / pytest processes (default 2). */
  concurrency?: number;
}

/** The Python checks and zero-token fixers, for the engine to register. */
export interface PythonValidators {
  validators: Validator[];
  fixers: ZeroTokenFixer[];
}

/**
 * Pyright, Ruff and (when tests are on) pytest, plus Ruff's safe fixes and the missing-import
 * fixer. Throws `untrusted` in an untrusted workspace rather than returning nothing: pyright
 * and pytest execute the project's interpreter and code, and a silently empty set would let a
 * Python run end "validated" without any check.
 */
export function createPythonValidators(opts: PythonValidatorOptions): PythonValidators {
  if (!opts.trusted) {
    throw new AnnealError(
      'untrusted',
      'Python validation runs pyright and the project’s tests, so it needs a trusted workspace. Trust this folder to check Python files.',
    );
  }
  const limits = {
    timeoutMs: opts.timeoutMs,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
  };
  const validators: Validator[] = [new PyrightValidator(limits), new RuffValidator()];
  if (opts.testsEnabled) validators.push(new PytestRunner(limits));
  return { validators, fixers: [new RuffFixer()] };
}
