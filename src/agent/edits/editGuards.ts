import { diffLines } from 'diff';

/** Placeholders a model writes instead of code it did not repeat; applying them deletes code. */
const ELISION = [
  /^\s*(\/\/|#|\/\*+|\*|<!--)\s*\.\.\.?/,
  /\b(rest|remainder) of (the )?(code|file|function|class|implementation|methods?)\b/i,
  /\b(existing|unchanged|remaining|previous|same|other) (code|implementation|content|methods?|logic|functions?)( (here|goes here|as before|unchanged|remains?))?\b/i,
  /\/\*\s*\.\.\.\s*\*\//,
  /^\s*\/\/\s*(…|\.\.\.)/,
  /\bcode (remains|stays) the same\b/i,
];

/** Added lines that look like elision placeholders (only lines that were not already there). */
export function elisionLines(before: string, after: string): string[] {
  const found: string[] = [];
  for (const part of diffLines(before, after)) {
    if (!part.added) continue;
    for (const line of part.value.split('\n')) {
      if (ELISION.some((re) => re.test(line))) found.push(line.trim());
    }
  }
  return found;
}

/** Lines removed or added by the change, whichever is larger (a replaced line counts once). */
export function changedLineCount(before: string, after: string): number {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return Math.max(added, removed);
}

export interface GuardLimits {
  /** Largest share of the target's lines one attempt may change. */
  diffCap: number;
  /** Target size in lines, before the attempt. */
  targetLinesBefore: number;
  targetLinesAfter: number;
}

/** Smallest change always allowed, so tiny targets can still be fixed. */
export const MIN_ALLOWED_CHANGED_LINES = 4;

/**
 * Why an attempt must be discarded, or undefined when it may be validated: over the diff cap,
 * shrinking the target by half or more, or holding elision placeholders.
 */
export function rejectAttempt(before: string, after: string, limits: GuardLimits): string | undefined {
  const elided = elisionLines(before, after);
  if (elided.length > 0) {
    return `the edit contains placeholders instead of code (${elided
      .slice(0, 2)
      .map((l) => JSON.stringify(l))
      .join(', ')}); write out every line, never elide existing code`;
  }
  if (limits.targetLinesBefore >= 4 && limits.targetLinesAfter * 2 <= limits.targetLinesBefore) {
    return `the edit shrinks the target from ${limits.targetLinesBefore} to ${limits.targetLinesAfter} lines; preserve the existing code and change only what the errors need`;
  }
  const changed = changedLineCount(before, after);
  const allowed = Math.max(MIN_ALLOWED_CHANGED_LINES, Math.ceil(limits.diffCap * limits.targetLinesBefore));
  if (changed > allowed) {
    return `the edit changes ${changed} lines, more than the cap of ${allowed} (${Math.round(limits.diffCap * 100)}% of the target's ${limits.targetLinesBefore} lines); make a smaller change that preserves the existing code`;
  }
  return undefined;
}
