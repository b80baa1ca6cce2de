import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AnnealError } from '../annealError';
import { sha256 } from '../workspace/fileGuard';

/**
 * Replaces a file's content all at once: the text goes to a temporary file beside it (same mode),
 * is flushed, and is renamed over the original. A reader sees the old or the new file, never a
 * mix. Refuses when the file no longer has the text the change was made from.
 */
export function writeFileAtomic(file: string, text: string, expectedBaseHash: string): void {
  let current: Buffer;
  try {
    current = readFileSync(file);
  } catch {
    throw new AnnealError(
      'notFound',
      `${file} was moved or deleted since the change was made. Nothing was written; run again.`,
    );
  }
  if (sha256(current.toString('utf8')) !== expectedBaseHash) {
    throw new AnnealError(
      'staleBase',
      `${file} changed since the change was made. Nothing was written, so your edits are intact; run Anneal again on the new text.`,
    );
  }
  const mode = statSync(file).mode & 0o7777;
  // A rename would replace a read-only file (only the folder's permission is checked): refuse first.
  if ((mode & 0o222) === 0) {
    throw new AnnealError(
      'badInput',
      `${file} is read-only. Nothing was written; make it writable and try again.`,
    );
  }
  const tmp = join(dirname(file), `.${basename(file)}.anneal-${process.pid}-${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeSync(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file was never created or is already gone.
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new AnnealError(
      'badInput',
      `Could not write ${file}${code ? ` (${code})` : ''}: ${code === 'EACCES' || code === 'EPERM' ? 'the file or its folder is read-only. Make it writable and try again' : 'check the disk and permissions'}. The file is unchanged.`,
      undefined,
      { cause: e },
    );
  }
}
