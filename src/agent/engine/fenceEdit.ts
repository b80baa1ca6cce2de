import { isPython, locateByName } from './findSymbol';
import { extractCodeFences, pickCodeFence } from '../edits/codeFences';
import { languageOf } from './prompts';
import type { TargetSpan } from './targetScope';

/** The outcome of turning a text reply into an edit. */
export type FenceEditOutcome = { ok: true; text: string; summary: string } | { ok: false; error: string };

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function reindent(lines: string[], from: string, to: string): string[] {
  if (from === to) return lines;
  return lines.map((l) =>
    l.startsWith(from) ? to + l.slice(from.length) : l.trim() === '' ? l : to + l.trimStart(),
  );
}

/** The function named `name` in a snippet; a bare method is parsed inside a class wrapper. */
function functionInSnippet(
  file: string,
  code: string,
  name: string,
): { lines: string[]; imports: string[] } | undefined {
  const simple = name.split('.').pop()!;
  const all = code.replace(/\r\n/g, '\n').split('\n');
  let found = locateByName(file, code, name) ?? locateByName(file, code, simple);
  let lines = all;
  if (!found && !isPython(file)) {
    const wrapped = `class __Wrapper {\n${code}\n}\n`;
    const inner = locateByName(file, wrapped, `__Wrapper.${simple}`);
    if (inner) {
      lines = wrapped.split('\n');
      found = inner;
    }
  }
  if (!found) return undefined;
  const importRe = isPython(file) ? /^(import |from \S+ import )/ : /^import\b/;
  const imports = all.filter((l) => importRe.test(l));
  return { lines: lines.slice(found.startLine, found.endLine + 1), imports };
}

/**
 * Applies a text reply with code fences: the target function replaced by the one in the reply
 * (located by the syntax tree), or the whole file when the reply holds the whole file.
 */
export function applyFenceReply(
  file: string,
  text: string,
  reply: string,
  span: TargetSpan,
  opts: { shownWholeFile: boolean },
): FenceEditOutcome {
  const fences = extractCodeFences(reply);
  if (fences.length === 0) {
    return {
      ok: false,
      error: reply.trim()
        ? 'The reply had no tool call and no code block, so nothing was changed. Call patch_file.'
        : 'The reply was empty. Call patch_file.',
    };
  }
  const fence = pickCodeFence(
    fences,
    languageOf(file) === 'javascript' ? 'javascript' : languageOf(file),
    span.name,
  );
  if (!fence)
    return {
      ok: false,
      error: `The reply's code blocks are not ${languageOf(file)}. Answer in the file's language.`,
    };
  const lines = text.split('\n');
  if (span.name) {
    const fn = functionInSnippet(file, fence.code, span.name);
    if (fn) {
      const originalIndent = indentOf(lines[span.startLine] ?? '');
      const replacement = reindent(fn.lines, indentOf(fn.lines[0] ?? ''), originalIndent);
      const next = [...lines.slice(0, span.startLine), ...replacement, ...lines.slice(span.endLine + 1)];
      const missingImports = fn.imports.filter((imp) => !lines.some((l) => l.trim() === imp.trim()));
      if (missingImports.length) {
        let at = 0;
        next.forEach((l, i) => {
          if (/^(import\b|from \S+ import )/.test(l)) at = i + 1;
        });
        next.splice(at, 0, ...missingImports);
      }
      return {
        ok: true,
        text: next.join('\n'),
        summary: `replaced ${span.name} from the reply's code block`,
      };
    }
  }
  const fenceLines = fence.code.split('\n').length;
  if (opts.shownWholeFile && (span.whole || fenceLines >= lines.length * 0.6)) {
    return { ok: true, text: fence.code, summary: "replaced the file with the reply's code block" };
  }
  return {
    ok: false,
    error: span.name
      ? `The reply's code block does not contain the function ${span.name}. Use patch_file.`
      : 'The code block is only part of the file. Use patch_file to change part of the file.',
  };
}
