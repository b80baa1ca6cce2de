import type { ValidationReport } from '../../../protocol/reports';
import { classifyEslint } from '../classify';
import type { ValidationInput, Validator } from '../validator';
import { lintCandidate, type EslintContext, type LintMessage } from './eslintRunner';

const ESLINT_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;

/** Whether ESLint is asked about a file (the configuration still decides whether it lints it). */
export function isEslintFile(file: string): boolean {
  return ESLINT_FILE.test(file);
}

/** One ESLint message as a report: 1-based positions become 0-based, severity 2 an error. */
export function eslintReport(file: string, m: LintMessage): ValidationReport {
  const fatal = m.fatal === true;
  const line = Math.max(0, m.line - 1);
  const character = Math.max(0, m.column - 1);
  let endLine = m.endLine !== undefined ? Math.max(0, m.endLine - 1) : line;
  let endCharacter = m.endColumn !== undefined ? Math.max(0, m.endColumn - 1) : character;
  if (endLine < line || (endLine === line && endCharacter < character)) {
    endLine = line;
    endCharacter = character;
  }
  return {
    file,
    line,
    character,
    endLine,
    endCharacter,
    code: fatal ? 'parse-error' : (m.ruleId ?? 'eslint'),
    // A message without a rule and not fatal is ESLint's own (an unused disable directive).
    category: m.ruleId === null && !fatal ? 'other' : classifyEslint(m.ruleId, fatal),
    severity: fatal || m.severity === 2 ? 'error' : 'warning',
    message: m.message,
    tool: 'eslint',
  };
}

/** The one report for a lint that did not happen; a warning, so it never blocks a verdict. */
export function eslintFailedReport(file: string, reason: string): ValidationReport {
  return {
    file,
    line: 0,
    character: 0,
    endLine: 0,
    endCharacter: 0,
    code: 'eslint-failed',
    category: 'other',
    severity: 'warning',
    message: `ESLint could not check this file: ${reason}. Run ESLint in a terminal to see the problem in its configuration.`,
    tool: 'eslint',
  };
}

/** Lints the candidate in memory with the project's own ESLint and configuration. */
export class EslintValidator implements Validator {
  readonly tool = 'eslint' as const;

  constructor(private readonly ctx: EslintContext) {}

  appliesTo(file: string): boolean {
    return isEslintFile(file);
  }

  async validate(input: ValidationInput): Promise<ValidationReport[]> {
    if (!this.appliesTo(input.file)) return [];
    const outcome = await lintCandidate(this.ctx, input.file, input.text, input.signal);
    if (outcome.kind === 'noConfig') return [];
    if (outcome.kind === 'failed') return [eslintFailedReport(input.file, outcome.reason)];
    return outcome.messages
      .map((m) => eslintReport(input.file, m))
      .sort((a, b) => a.line - b.line || a.character - b.character || a.code.localeCompare(b.code));
  }
}
