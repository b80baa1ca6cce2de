import type { ValidationReport } from '../../../protocol/reports';
import type { AppliedFix } from '../../../protocol/runLog';
import type { FixResult, ValidationInput, ZeroTokenFixer } from '../validator';
import { lintCandidate, type EslintContext, type LintMessage } from './eslintRunner';
import { isEslintFile } from './eslintValidator';

type Fixable = LintMessage & { ruleId: string; fix: { range: [number, number]; text: string } };

function isError(m: LintMessage): boolean {
  return m.fatal === true || m.severity === 2;
}

/** Upper bound on fix passes, as ESLint's own (10) is for a whole file. */
const MAX_PASSES = 5;

function messageKey(m: LintMessage): string {
  return `${m.ruleId ?? ''}\u0000${m.message}`;
}

function errorKeys(messages: readonly LintMessage[]): Map<string, number> {
  const keys = new Map<string, number>();
  for (const m of messages) {
    if (!isError(m)) continue;
    const k = messageKey(m);
    keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  return keys;
}

/** Fewer errors, and none that was not there before (by rule and message, as multisets). */
function isImprovement(before: readonly LintMessage[], after: readonly LintMessage[]): boolean {
  const b = errorKeys(before);
  const a = errorKeys(after);
  let countBefore = 0;
  let countAfter = 0;
  for (const n of b.values()) countBefore += n;
  for (const [k, n] of a) {
    countAfter += n;
    if (n > (b.get(k) ?? 0)) return false;
  }
  return countAfter < countBefore;
}

/**
 * Applies rule fixes the way ESLint does: in offset order, skipping any that overlaps or touches
 * the previous one. Offsets are in the text without its byte-order mark.
 */
function applyFixes(text: string, fixes: readonly Fixable[]): { text: string; applied: Fixable[] } {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const sorted = [...fixes].sort(
    (a, b) => a.fix.range[0] - b.fix.range[0] || a.fix.range[1] - b.fix.range[1],
  );
  const applied: Fixable[] = [];
  let out = '';
  let lastEnd = Number.NEGATIVE_INFINITY;
  let cursor = bom;
  for (const m of sorted) {
    const [start, end] = m.fix.range;
    if (start < 0 || start > end || start <= lastEnd || end + bom > text.length) continue;
    out += text.slice(cursor, start + bom) + m.fix.text;
    cursor = end + bom;
    lastEnd = end;
    applied.push(m);
  }
  return { text: text.slice(0, bom) + out + text.slice(cursor), applied };
}

/** Fixable errors beyond those counted in `before` (by rule and message): the ones a fix caused. */
function newFixableErrors(before: readonly LintMessage[], after: readonly LintMessage[]): Fixable[] {
  const budget = errorKeys(before);
  const caused: Fixable[] = [];
  for (const m of after) {
    if (!isError(m)) continue;
    const k = messageKey(m);
    const left = budget.get(k) ?? 0;
    if (left > 0) {
      budget.set(k, left - 1);
      continue;
    }
    if (m.fatal !== true && m.ruleId !== null && m.fix !== undefined) caused.push(m as Fixable);
  }
  return caused;
}

function reportKey(code: string, line: number, character: number): string {
  return `${code}\u0000${line}\u0000${character}`;
}

/**
 * ESLint's own rule fixes (never its suggestions, which may change behaviour) for the error
 * reports it was handed, so a target scope is respected. The fixed text is linted again and kept
 * only when it has fewer errors and no new one; when all fixes together fail that test, each
 * rule's fixes are tried on their own.
 */
export class EslintFixer implements ZeroTokenFixer {
  readonly tool = 'eslint' as const;

  constructor(private readonly ctx: EslintContext) {}

  appliesTo(file: string): boolean {
    return isEslintFile(file);
  }

  async fix(input: ValidationInput, reports: readonly ValidationReport[]): Promise<FixResult> {
    const unchanged: FixResult = { text: input.text, fixes: [] };
    if (!this.appliesTo(input.file)) return unchanged;
    const wanted = new Set(
      reports
        .filter((r) => r.tool === 'eslint' && r.severity === 'error')
        .map((r) => reportKey(r.code, r.line, r.character)),
    );
    if (wanted.size === 0) return unchanged;
    const first = await lintCandidate(this.ctx, input.file, input.text, input.signal);
    if (first.kind !== 'ok') return unchanged;
    const before = first.messages;
    const fixable = before.filter(
      (m): m is Fixable =>
        isError(m) &&
        m.fatal !== true &&
        m.ruleId !== null &&
        m.fix !== undefined &&
        wanted.has(reportKey(m.ruleId, m.line - 1, m.column - 1)),
    );
    if (fixable.length === 0) return unchanged;

    const tryFixes = async (
      fixes: readonly Fixable[],
    ): Promise<{ text: string; applied: Fixable[]; errors: number } | undefined> => {
      let text = input.text;
      let next: readonly Fixable[] = fixes;
      let after: LintMessage[] | undefined;
      const applied: Fixable[] = [];
      // Like ESLint's own passes, but a later pass fixes only errors the earlier ones caused
      // (`var` → `let` makes a prefer-const error), never others outside the handed reports.
      for (let pass = 0; pass < MAX_PASSES && next.length > 0; pass++) {
        const candidate = applyFixes(text, next);
        if (candidate.applied.length === 0) break;
        text = candidate.text;
        applied.push(...candidate.applied);
        const outcome = await lintCandidate(this.ctx, input.file, text, input.signal);
        if (outcome.kind !== 'ok') return undefined;
        after = outcome.messages;
        next = newFixableErrors(before, after);
      }
      if (after === undefined || !isImprovement(before, after)) return undefined;
      return { text, applied, errors: after.filter(isError).length };
    };

    let best = await tryFixes(fixable);
    if (!best) {
      const rules = [...new Set(fixable.map((m) => m.ruleId))];
      const good: Fixable[] = [];
      for (const rule of rules) {
        const alone = await tryFixes(fixable.filter((m) => m.ruleId === rule));
        if (!alone) continue;
        good.push(...alone.applied);
        if (!best || alone.errors < best.errors) best = alone;
      }
      if (best && good.length > best.applied.length) best = (await tryFixes(good)) ?? best;
    }
    if (!best) return unchanged;
    const fixes: AppliedFix[] = best.applied.map((m) => ({
      tool: 'eslint',
      fixName: 'autofix',
      description: m.message,
      code: m.ruleId,
      line: Math.max(0, m.line - 1),
    }));
    return { text: best.text, fixes };
  }
}
