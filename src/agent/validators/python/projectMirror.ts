import { copyFile, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isInside } from './pythonImports';

/** A private stand-in for the project: the candidate text at the file's place, all else linked. */
export interface ProjectMirror {
  root: string;
  /** The candidate file inside the mirror. */
  target: string;
  dispose(): Promise<void>;
}

const IS_WINDOWS = process.platform === 'win32';

const STALE_MS = 60 * 60 * 1000;
const swept = new Set<string>();

/**
 * Removes temporary folders with this prefix left by a process that was killed before its
 * cleanup ran. Once per prefix per process; only folders older than an hour, so that another
 * process's live run is never touched.
 */
export async function sweepStaleTempDirs(prefix: string): Promise<void> {
  if (swept.has(prefix)) return;
  swept.add(prefix);
  let names: string[];
  try {
    names = (await readdir(tmpdir())).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    const dir = join(tmpdir(), n);
    try {
      if (now - (await stat(dir)).mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

async function link(real: string, at: string, isDir: boolean): Promise<void> {
  try {
    await symlink(real, at, isDir ? 'junction' : 'file');
  } catch (e) {
    // Windows without the symlink privilege: files are copied (directories use junctions).
    if (isDir || !IS_WINDOWS) throw e;
    await copyFile(real, at);
  }
}

/**
 * Builds a temporary tree that looks like `projectDir` to a type checker: each folder on the way
 * to `file` is a real folder whose other entries are symbolic links to the project's, and `file`
 * itself holds `text`. The user's tree is only read. Relative imports, sibling modules, config
 * files and a project virtual environment all resolve as they would in place.
 */
export async function createProjectMirror(
  projectDir: string,
  file: string,
  text: string,
): Promise<ProjectMirror> {
  let base = resolve(projectDir);
  const target = resolve(file);
  if (!isInside(base, target)) base = dirname(target);
  const parts = relative(base, target).split(sep);
  await sweepStaleTempDirs('anneal-py-');
  const root = await mkdtemp(join(tmpdir(), 'anneal-py-'));
  const dispose = (): Promise<void> => rm(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    let real = base;
    let mirror = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      let entries: import('node:fs').Dirent[] = [];
      try {
        entries = await readdir(real, { withFileTypes: true });
      } catch {
        // A folder that does not exist yet (a new file): nothing to link.
      }
      for (const e of entries) {
        if (e.name === part || e.name === '.git') continue;
        await link(join(real, e.name), join(mirror, e.name), e.isDirectory());
      }
      if (i === parts.length - 1) {
        await writeFile(join(mirror, part), text, 'utf8');
      } else {
        real = join(real, part);
        mirror = join(mirror, part);
        await mkdir(mirror);
      }
    }
    return { root, target: join(root, ...parts), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** The interpreter of a virtual environment inside the project (`.venv`, `venv`, `env`), if any. */
export function projectVenvPython(projectDir: string, exists: (p: string) => boolean): string | undefined {
  for (const name of ['.venv', 'venv', 'env', '.env']) {
    const dir = join(projectDir, name);
    if (!exists(join(dir, 'pyvenv.cfg'))) continue;
    const python = IS_WINDOWS ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
    if (exists(python)) return python;
  }
  return undefined;
}
