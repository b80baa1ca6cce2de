/** A fenced code block found in a model's text reply. */
export interface CodeFence {
  lang: string;
  code: string;
}

const LANG_ALIASES: Record<string, string[]> = {
  typescript: ['ts', 'typescript', 'tsx', 'mts', 'cts'],
  javascript: ['js', 'javascript', 'jsx', 'mjs', 'cjs', 'node'],
  python: ['py', 'python', 'python3'],
};

/**
 * Every fenced block in a reply: ``` or ~~~ fences, with or without a language, prose around
 * them, and a last fence left unclosed (a reply cut at the token limit).
 */
export function extractCodeFences(reply: string): CodeFence[] {
  const text = reply.replace(/\r\n/g, '\n');
  const out: CodeFence[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^\n]*$/.exec(lines[i]!);
    if (!open) {
      i++;
      continue;
    }
    const fence = open[1]!;
    const lang = (open[2] ?? '').toLowerCase();
    const body: string[] = [];
    i++;
    while (
      i < lines.length &&
      !new RegExp(`^\\s{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[i]!)
    ) {
      body.push(lines[i]!);
      i++;
    }
    i++;
    out.push({ lang, code: body.join('\n') + (body.length ? '\n' : '') });
  }
  return out;
}

/** The language family of a fence tag ('' when untagged or unknown). */
export function fenceLanguage(lang: string): string {
  for (const [family, tags] of Object.entries(LANG_ALIASES)) if (tags.includes(lang)) return family;
  return '';
}

/**
 * The block most likely to be the answer: fences in the file's language (or untagged) first;
 * among those, one that names the target, else the longest.
 */
export function pickCodeFence(
  fences: CodeFence[],
  language: string,
  targetName?: string,
): CodeFence | undefined {
  const compatible = fences.filter((f) => {
    const fam = fenceLanguage(f.lang);
    return (
      f.code.trim().length > 0 &&
      (fam === '' || fam === language || (language === 'typescript' && fam === 'javascript'))
    );
  });
  if (compatible.length === 0) return undefined;
  const simpleName = targetName?.split('.').pop();
  const naming = simpleName ? compatible.filter((f) => new RegExp(`\\b${simpleName}\\b`).test(f.code)) : [];
  const pool = naming.length > 0 ? naming : compatible;
  return pool.reduce((a, b) => (b.code.length > a.code.length ? b : a));
}
