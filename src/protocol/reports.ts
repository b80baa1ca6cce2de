// A namespace import lets bundlers drop what the schemas do not use (the webview bundle).
import * as z from 'zod';

/** What kind of problem a report is; drives which fixer or prompt handles it. */
export const ErrorCategory = z.enum([
  'syntax',
  'missing_import',
  'undefined_name',
  'type_mismatch',
  'contract_violation',
  'other',
]);
export type ErrorCategory = z.infer<typeof ErrorCategory>;

/** The tool that produced a report. */
export const ValidatorTool = z.enum(['tsc', 'eslint', 'tests', 'pyright', 'ruff', 'pytest']);
export type ValidatorTool = z.infer<typeof ValidatorTool>;

export const Severity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof Severity>;

/**
 * One validation finding. Positions are 0-based (line, character) like LSP; the CLI prints them
 * 1-based. `file` is an absolute file-system path.
 */
export const ValidationReport = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  character: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
  endCharacter: z.number().int().nonnegative(),
  /** The tool's own code: `TS2304`, `no-unused-vars`, `reportUndefinedVariable`, a test name… */
  code: z.string(),
  category: ErrorCategory,
  severity: Severity,
  message: z.string(),
  tool: ValidatorTool,
});
export type ValidationReport = z.infer<typeof ValidationReport>;

/** Counts only what blocks a verdict: errors, not warnings. */
export function errorCount(reports: readonly ValidationReport[]): number {
  return reports.filter((r) => r.severity === 'error').length;
}
