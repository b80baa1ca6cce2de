import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { AnnealError } from '../annealError';

/** Largest file Anneal reads. Larger files are refused whole, never truncated. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const SUPPORTED = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.py']);

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The text of a target file, split into what the engine works on and what must be restored on output. */
export interface TargetText {
  /** Absolute, normalised path. */
  file: string;
  /** Exactly what the proposal is based on (BOM included). */
  baseText: string;
  baseHash: string;
  /** baseText without a leading BOM: what validators and the model see. */
  text: string;
  bom: boolean;
  eol: '\n' | '\r\n';
}

/** Whether `target` (after resolving symlinks) is inside `root`. */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Refuses a path outside the workspace, following symlinks on both sides. */
export function assertInsideWorkspace(file: string, workspaceRoot: string | undefined): void {
  if (!workspaceRoot) return;
  const root = realOrSelf(workspaceRoot);
  const abs = resolve(file);
  if (!isInside(resolve(workspaceRoot), abs) || !isInside(root, realOrSelf(abs))) {
    throw new AnnealError(
      'outsideWorkspace',
      `${file} is outside the workspace (${workspaceRoot}), or links there through a symlink. Anneal reads and writes only inside the workspace: open the folder that contains the file.`,
    );
  }
}

export function assertSupportedLanguage(file: string): void {
  if (!SUPPORTED.has(extname(file).toLowerCase())) {
    throw new AnnealError(
      'badInput',
      `${file}: Anneal validates TypeScript, JavaScript and Python files (.ts, .tsx, .js, .jsx, .mts, .cts, .mjs, .cjs, .py).`,
    );
  }
}

function tooLarge(file: string, bytes: number): AnnealError {
  return new AnnealError(
    'fileTooLarge',
    `${file} is ${(bytes / 1024 / 1024).toFixed(1)} MB; Anneal works on files up to ${MAX_FILE_BYTES / 1024 / 1024} MB. Split the file, or target a smaller one.`,
  );
}

function assertText(file: string, bytes: Buffer): string {
  if (bytes.length > MAX_FILE_BYTES) throw tooLarge(file, bytes.length);
  const probe = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (probe.includes(0)) {
    throw new AnnealError(
      'binaryFile',
      `${file} looks like a binary file (it contains NUL bytes). Anneal works on source text only.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new AnnealError(
      'badInput',
      `${file} is not valid UTF-8. Convert it to UTF-8 (in VS Code: "Change File Encoding" → "Save with Encoding") and try again.`,
    );
  }
}

/**
 * Reads (or takes, when the editor sent unsaved text) a target file, refusing what Anneal must
 * not touch: missing files, files outside the workspace, unsupported, binary, non-UTF-8 or huge.
 */
export function loadTarget(file: string, opts: { workspaceRoot?: string; text?: string }): TargetText {
  const abs = resolve(file);
  assertSupportedLanguage(abs);
  assertInsideWorkspace(abs, opts.workspaceRoot);
  let baseText: string;
  if (opts.text !== undefined) {
    baseText = assertText(abs, Buffer.from(opts.text, 'utf8'));
  } else {
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new AnnealError('notFound', `${file} does not exist. Check the path.`);
    }
    if (!stat.isFile()) throw new AnnealError('badInput', `${file} is not a regular file.`);
    if (stat.size > MAX_FILE_BYTES) throw tooLarge(abs, stat.size);
    baseText = assertText(abs, readFileSync(abs));
  }
  const bom = baseText.charCodeAt(0) === 0xfeff;
  const unbommed = bom ? baseText.slice(1) : baseText;
  // Work on LF text when every line ends in CRLF, and put CRLF back on output; a file with mixed
  // endings is left exactly as it is.
  const newlines = (unbommed.match(/\n/g) ?? []).length;
  const crlf = newlines > 0 && (unbommed.match(/\r\n/g) ?? []).length === newlines;
  const text = crlf ? unbommed.replace(/\r\n/g, '\n') : unbommed;
  return { file: abs, baseText, baseHash: sha256(baseText), text, bom, eol: crlf ? '\r\n' : '\n' };
}

/** Puts back what loadTarget took off (the BOM) and the file's line endings. */
export function restoreShape(target: TargetText, text: string): string {
  let out = text;
  if (target.eol === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
  else if (!target.baseText.includes('\r')) out = out.replace(/\r\n/g, '\n');
  return target.bom ? `\ufeff${out}` : out;
}
