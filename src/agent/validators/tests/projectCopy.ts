import { constants, existsSync, realpathSync } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/** A throwaway copy of a project with the candidate text in place of the target file. */
export interface ProjectCopy {
  /** The copy's root (a real path, so stack traces name it the same way). */
  root: string;
  /** The target file inside the copy. */
  target: string;
  dispose(): Promise<void>;
}

/** The project is bigger than a copy per candidate should be. */
export class ProjectTooLargeError extends Error {
  constructor(readonly limit: string) {
    super(`the project has more than ${limit}`);
    this.name = 'ProjectTooLargeError';
  }
}

/** Never copied: dependencies are linked, history and build output are not needed by tests. */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'coverage', '.nyc_output', '.turbo']);
const IS_WINDOWS = process.platform === 'win32';

interface Limits {
  maxFiles: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: Limits = { maxFiles: 20_000, maxBytes: 300 * 1024 * 1024 };

async function link(real: string, at: string): Promise<void> {
  await symlink(real, at, IS_WINDOWS ? 'junction' : undefined);
}

/** The node_modules folders a module in the project could resolve from, nearest first. */
function nodeModulesChain(projectDir: string): string[] {
  const chain: string[] = [];
  let dir = resolve(projectDir);
  for (;;) {
    const nm = join(dir, 'node_modules');
    if (existsSync(nm)) chain.push(nm);
    const up = dirname(dir);
    if (up === dir) return chain;
    dir = up;
  }
}

/**
 * Gives the copy the packages the project resolves: its own node_modules linked as is, or, when
 * packages also come from enclosing folders (a monorepo's hoisted dependencies), a folder that
 * links each package from the nearest node_modules that has it, as Node's lookup would.
 */
async function linkNodeModules(projectDir: string, root: string): Promise<void> {
  const chain = nodeModulesChain(projectDir);
  const first = chain[0];
  if (first === undefined) return;
  const own = join(resolve(projectDir), 'node_modules');
  if (chain.length === 1 && first === own) {
    await link(first, join(root, 'node_modules'));
    return;
  }
  const merged = join(root, 'node_modules');
  await mkdir(merged);
  const taken = new Set<string>();
  for (const nm of chain) {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(nm, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      // Scopes and .bin hold packages and commands from several levels: merge one level down.
      if (e.name.startsWith('@') || e.name === '.bin') {
        const at = join(merged, e.name);
        if (!taken.has(e.name)) {
          taken.add(e.name);
          await mkdir(at);
        }
        let inner: string[];
        try {
          inner = await readdir(join(nm, e.name));
        } catch {
          continue;
        }
        for (const name of inner) {
          const key = `${e.name}/${name}`;
          if (taken.has(key)) continue;
          taken.add(key);
          await link(join(nm, e.name, name), join(at, name));
        }
        continue;
      }
      if (taken.has(e.name)) continue;
      taken.add(e.name);
      await link(join(nm, e.name), join(merged, e.name));
    }
  }
}

async function copyTree(
  from: string,
  to: string,
  counts: { files: number; bytes: number },
  limits: Limits,
): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  for (const e of entries) {
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.name === 'node_modules' && e.isDirectory()) {
      // A nested package's own dependencies (monorepo workspaces): link, never copy.
      await link(src, dst);
      continue;
    }
    if (SKIPPED.has(e.name)) continue;
    if (e.isSymbolicLink()) {
      await symlink(await readlink(src), dst);
    } else if (e.isDirectory()) {
      await mkdir(dst);
      await copyTree(src, dst, counts, limits);
    } else if (e.isFile()) {
      counts.files += 1;
      counts.bytes += (await lstat(src)).size;
      if (counts.files > limits.maxFiles) throw new ProjectTooLargeError(`${limits.maxFiles} files`);
      if (counts.bytes > limits.maxBytes) {
        throw new ProjectTooLargeError(`${Math.round(limits.maxBytes / 1024 / 1024)} MB of files`);
      }
      // Copy-on-write where the file system offers it; a plain copy otherwise. Never a hard
      // link: a test that writes a file must not write the user's.
      await copyFile(src, dst, constants.COPYFILE_FICLONE);
    }
  }
}

/**
 * Copies `projectDir` to a temporary folder (without node_modules, .git, dist and coverage
 * output; dependencies are linked) and writes `text` at the target file's place. The user's tree
 * is only read. Throws ProjectTooLargeError beyond the limits; the copy is removed on failure.
 */
export async function copyProject(
  projectDir: string,
  file: string,
  text: string,
  limits: Limits = DEFAULT_LIMITS,
): Promise<ProjectCopy> {
  const base = resolve(projectDir);
  const rel = relative(base, resolve(file));
  const root = realpathSync(await mkdtemp(join(tmpdir(), 'anneal-tests-')));
  const dispose = (): Promise<void> => rm(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    await copyTree(base, root, { files: 0, bytes: 0 }, limits);
    await linkNodeModules(base, root);
    const target = join(root, rel);
    await mkdir(dirname(target), { recursive: true });
    // Through a linked folder or file the write would land in the user's tree.
    const realDir = realpathSync(dirname(target));
    if (relative(root, realDir).startsWith('..'))
      throw new Error('the file is reached through a symbolic link');
    await rm(target, { force: true });
    await writeFile(target, text, 'utf8');
    return { root, target, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
