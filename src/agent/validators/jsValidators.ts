import { resolve } from 'node:path';
import type { Validator, ZeroTokenFixer } from './validator';
import { EslintFixer } from './eslint/eslintFixer';
import { EslintValidator } from './eslint/eslintValidator';
import { findEslintConfig, resolveProjectEslint, supportsConfig } from './eslint/projectEslint';
import { TestsValidator } from './tests/testsValidator';

/** Upper bound on one in-process ESLint call. */
const ESLINT_TIMEOUT_MS = 30_000;

export interface JsValidatorOptions {
  projectDir: string;
  /** The settings' test command; replaces test detection when set. */
  testCommand?: string;
  /** Whether the ESLint validator and fixer may be created (settings.validators.eslint). */
  eslint: boolean;
  /** Whether the tests validator may be created (settings.validators.tests). */
  tests: boolean;
  /** Limit for one test run (default 60 s). */
  timeoutMs?: number;
  /**
   * Workspace Trust. ESLint configurations and tests execute the workspace's code, so nothing is
   * created for an untrusted workspace.
   */
  trusted: boolean;
  /**
   * How far up from `projectDir` an ESLint configuration is looked for (a monorepo root);
   * `projectDir` itself when absent. Never above the workspace.
   */
  workspaceRoot?: string;
}

/** The ESLint and test validators (and ESLint's fixer) that apply to a JS/TS project. */
export interface JsValidators {
  validators: Validator[];
  slowValidators: Validator[];
  fixers: ZeroTokenFixer[];
}

/**
 * The JavaScript/TypeScript validators for a project: ESLint (fast, with its autofix as a
 * zero-token fixer) when the project has an ESLint configuration and its own `eslint` package,
 * and the tests (slow) when enabled. Each validator also checks `appliesTo` itself.
 */
export function createJsValidators(opts: JsValidatorOptions): JsValidators {
  const set: JsValidators = { validators: [], slowValidators: [], fixers: [] };
  if (!opts.trusted) return set;
  const projectDir = resolve(opts.projectDir);
  if (opts.eslint) {
    const stopDir = opts.workspaceRoot ? resolve(opts.workspaceRoot) : projectDir;
    const config = findEslintConfig(projectDir, stopDir);
    const eslint = config ? resolveProjectEslint(projectDir) : undefined;
    if (config && eslint && supportsConfig(eslint, config)) {
      const ctx = { projectDir, stopDir, eslint, timeoutMs: ESLINT_TIMEOUT_MS, trusted: true };
      set.validators.push(new EslintValidator(ctx));
      set.fixers.push(new EslintFixer(ctx));
    }
  }
  if (opts.tests) {
    set.slowValidators.push(
      new TestsValidator({
        projectDir,
        testCommand: opts.testCommand,
        timeoutMs: opts.timeoutMs,
        trusted: true,
      }),
    );
  }
  return set;
}
