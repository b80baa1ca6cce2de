import { diffLines } from 'diff';

/**
 * Maps 0-based line numbers of `before` to where the same line sits in `after`; a line that was
 * removed maps to the nearest surviving line at or after it. Used to follow a target or a report
 * across edits, so reports are compared by content and not by position.
 */
export function lineMapper(before: string, after: string): (line: number) => number {
  if (before === after) return (l) => l;
  const parts = diffLines(before, after);
  const map: number[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const part of parts) {
    const n = part.count ?? 0;
    if (part.added) {
      newLine += n;
    } else if (part.removed) {
      for (let i = 0; i < n; i++) map[oldLine++] = newLine;
    } else {
      for (let i = 0; i < n; i++) map[oldLine++] = newLine++;
    }
  }
  return (l) => (l < map.length ? (map[l] ?? newLine) : newLine + (l - map.length));
}

/** Number of lines, counting a trailing line without a newline. */
export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
