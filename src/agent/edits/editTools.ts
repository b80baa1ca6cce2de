import { z } from 'zod';
import type { ToolCall, ToolSpec } from '../providers/provider';

/** patch_file: replace one exact, unique occurrence. No path: the tool edits the target file only. */
export const PatchFileArgs = z
  .object({
    old_string: z.string().min(1, 'old_string must not be empty; to replace the whole file use write_file'),
    new_string: z.string(),
  })
  .strict();

/** write_file: the whole new content of the target file. No path argument. */
export const WriteFileArgs = z.object({ content: z.string() }).strict();

/** The edit tools the model is offered; their JSON Schema comes from the zod schemas above. */
export const EDIT_TOOLS: ToolSpec[] = [
  {
    name: 'patch_file',
    description:
      'Replace exactly one occurrence of old_string with new_string in the file being repaired. old_string must match the current file text exactly (whitespace included) and occur once; include enough surrounding lines to make it unique. Prefer this tool for every change that is not a full rewrite.',
    parameters: z.toJSONSchema(PatchFileArgs) as Record<string, unknown>,
  },
  {
    name: 'write_file',
    description:
      'Replace the entire file being repaired with content. Only for a file you were shown in full; content must be the complete file, with nothing elided.',
    parameters: z.toJSONSchema(WriteFileArgs) as Record<string, unknown>,
  },
];

/** The outcome of one tool call on the working text. */
export type ToolOutcome =
  | { ok: true; text: string; tool: 'patch_file' | 'write_file'; summary: string }
  | { ok: false; tool: string; error: string };

function lf(s: string): string {
  return s.replace(/\r\n/g, '\n');
}

function similarity(a: string, b: string): number {
  const ta = new Set(a.trim().split(/\W+/).filter(Boolean));
  const tb = new Set(b.trim().split(/\W+/).filter(Boolean));
  if (ta.size === 0 || tb.size === 0) return 0;
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  return common / Math.max(ta.size, tb.size);
}

/** The lines of `text` closest to the first meaningful line of `needle`, numbered 1-based. */
export function nearestLines(text: string, needle: string, count = 3): string {
  const probe = needle.split('\n').find((l) => l.trim().length > 0) ?? needle;
  const lines = text.split('\n');
  const scored = lines
    .map((line, i) => ({ i, score: similarity(line, probe) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, count)
    .sort((a, b) => a.i - b.i);
  if (scored.length === 0) return '(no similar line in the file)';
  return scored.map((s) => `${s.i + 1}: ${lines[s.i]}`).join('\n');
}

function occurrences(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) at.push(i);
  return at;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Applies one tool call to the working text. Arguments are untrusted: they are parsed with the
 * tools' zod schemas, a path or any other extra argument is refused, and a patch applies only on
 * an exact, unique match. Errors say precisely what to do next, for the model to read.
 */
export function applyToolCall(text: string, call: ToolCall): ToolOutcome {
  let raw: unknown;
  try {
    raw = JSON.parse(call.arguments || '{}');
  } catch (e) {
    return {
      ok: false,
      tool: call.name,
      error: `The arguments of ${call.name} are not valid JSON (${e instanceof Error ? e.message : 'parse error'}). Send a JSON object.`,
    };
  }
  if (
    raw &&
    typeof raw === 'object' &&
    ('path' in raw || 'file' in raw || 'file_path' in raw || 'filename' in raw)
  ) {
    return {
      ok: false,
      tool: call.name,
      error: `${call.name} takes no path: it edits only the file being repaired. Other files cannot be read or written.`,
    };
  }
  if (call.name === 'patch_file') {
    const parsed = PatchFileArgs.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        tool: call.name,
        error: `Invalid patch_file arguments: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
      };
    }
    const oldString = lf(parsed.data.old_string);
    const newString = lf(parsed.data.new_string);
    const at = occurrences(text, oldString);
    if (at.length === 0) {
      return {
        ok: false,
        tool: call.name,
        error: `old_string was not found in the file. Copy it exactly from the current file. The closest lines that do exist are:\n${nearestLines(text, oldString)}`,
      };
    }
    if (at.length > 1) {
      return {
        ok: false,
        tool: call.name,
        error: `old_string occurs ${at.length} times (lines ${at.map((o) => lineOf(text, o)).join(', ')}); include more surrounding lines so that it matches exactly once.`,
      };
    }
    const start = at[0]!;
    return {
      ok: true,
      tool: 'patch_file',
      text: text.slice(0, start) + newString + text.slice(start + oldString.length),
      summary: `patched line ${lineOf(text, start)}`,
    };
  }
  if (call.name === 'write_file') {
    const parsed = WriteFileArgs.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        tool: call.name,
        error: `Invalid write_file arguments: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
      };
    }
    return { ok: true, tool: 'write_file', text: lf(parsed.data.content), summary: 'rewrote the file' };
  }
  return {
    ok: false,
    tool: call.name,
    error: `There is no tool named '${call.name}'. The only tools are patch_file(old_string, new_string) and write_file(content).`,
  };
}
