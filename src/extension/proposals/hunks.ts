import { diffArrays } from 'diff';

/**
 * One contiguous change between a proposal's base text and its new text. Line numbers are 0-based;
 * ranges are half-open, so a pure insertion has `baseStart === baseEnd` and a pure deletion
 * `newStart === newEnd`. Lines keep their terminators.
 */
export interface Hunk {
  index: number;
  baseStart: number;
  baseEnd: number;
  newStart: number;
  newEnd: number;
  removed: string[];
  added: string[];
}

/** Splits text into lines that keep their `\n` / `\r\n`, so joining them gives the text back. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/);
}

/** The hunks that turn `base` into `next`, in order. */
export function splitHunks(base: string, next: string): Hunk[] {
  const changes = diffArrays(splitLines(base), splitLines(next));
  const hunks: Hunk[] = [];
  let baseLine = 0;
  let newLine = 0;
  let open: Hunk | undefined;
  for (const change of changes) {
    const count = change.value.length;
    if (!change.added && !change.removed) {
      open = undefined;
      baseLine += count;
      newLine += count;
      continue;
    }
    if (!open) {
      open = {
        index: hunks.length,
        baseStart: baseLine,
        baseEnd: baseLine,
        newStart: newLine,
        newEnd: newLine,
        removed: [],
        added: [],
      };
      hunks.push(open);
    }
    if (change.removed) {
      open.removed.push(...change.value);
      baseLine += count;
      open.baseEnd = baseLine;
    } else {
      open.added.push(...change.value);
      newLine += count;
      open.newEnd = newLine;
    }
  }
  return hunks;
}

/** Character offsets in `base` of the lines a hunk replaces: what an editor edit must replace. */
export function hunkBaseOffsets(base: string, hunk: Hunk): { start: number; end: number } {
  const lines = splitLines(base);
  const before = lines.slice(0, hunk.baseStart).join('').length;
  const replaced = lines.slice(hunk.baseStart, hunk.baseEnd).join('').length;
  return { start: before, end: before + replaced };
}

/** `base` with one hunk accepted; the other hunks are not applied. */
export function applyHunk(base: string, hunk: Hunk): string {
  const lines = splitLines(base);
  lines.splice(hunk.baseStart, hunk.baseEnd - hunk.baseStart, ...hunk.added);
  return lines.join('');
}

/** `next` with one hunk taken back out (the base lines restored); the other hunks stay. */
export function revertHunk(next: string, hunk: Hunk): string {
  const lines = splitLines(next);
  lines.splice(hunk.newStart, hunk.newEnd - hunk.newStart, ...hunk.removed);
  return lines.join('');
}

/**
 * The hunk a cursor line points at, in the proposal's coordinates (`side: 'new'`) or the base
 * file's (`side: 'base'`): the hunk that covers the line, else the next one below, else the last.
 * A deletion covers the line where its text was.
 */
export function hunkAtLine(hunks: readonly Hunk[], line: number, side: 'base' | 'new'): Hunk | undefined {
  const range = (h: Hunk): [number, number] =>
    side === 'new' ? [h.newStart, h.newEnd] : [h.baseStart, h.baseEnd];
  for (const h of hunks) {
    const [start, end] = range(h);
    if (line >= start && (line < end || (start === end && line === start))) return h;
  }
  return hunks.find((h) => range(h)[0] > line) ?? hunks[hunks.length - 1];
}
