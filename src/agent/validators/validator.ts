import type { ValidationReport, ValidatorTool } from '../../protocol/reports';
import type { AppliedFix } from '../../protocol/runLog';

/** One file's text to check in memory, within its project. Nothing is written to disk. */
export interface ValidationInput {
  /** Absolute path; `text` stands in for the file's content. */
  file: string;
  text: string;
  /** The project root (tsconfig.json / package.json / pyproject.toml folder). */
  projectDir: string;
  signal?: AbortSignal;
}

/** A checker for some languages. Validators never write to the user's tree. */
export interface Validator {
  readonly tool: ValidatorTool;
  appliesTo(file: string): boolean;
  /** Reports for `input.file` only, sorted by position. */
  validate(input: ValidationInput): Promise<ValidationReport[]>;
}

/** Result of one zero-token fixer pass. */
export interface FixResult {
  text: string;
  fixes: AppliedFix[];
}

/** Applies a tool's own safe fixes without a model. Must not add a new error. */
export interface ZeroTokenFixer {
  readonly tool: ValidatorTool;
  appliesTo(file: string): boolean;
  fix(input: ValidationInput, reports: readonly ValidationReport[]): Promise<FixResult>;
}
