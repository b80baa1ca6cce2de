import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadTypeScript } from './loadTypeScript';
import { TsProject } from './tsProject';

/** Most projects kept warm at once; the least recently used one is disposed past this. */
export const DEFAULT_MAX_PROJECTS = 8;

/**
 * Warm TypeScript projects by tsconfig.json, bounded (LRU) so opening many projects does not
 * grow memory without limit.
 */
export class TsProjectRegistry {
  private readonly projects = new Map<string, TsProject>();

  constructor(readonly maxProjects = DEFAULT_MAX_PROJECTS) {}

  get size(): number {
    return this.projects.size;
  }

  /**
   * The project that owns `file`: `projectDir`'s tsconfig.json when it has one, else the nearest
   * tsconfig.json above the file (following solution-style `references`), else an inferred one.
   */
  projectFor(file: string, projectDir: string): TsProject {
    const abs = resolve(file);
    const config = findConfig(abs, resolve(projectDir));
    const key = config ?? `inferred:${resolve(projectDir)}`;
    let project = this.projects.get(key);
    if (project && project.configChanged()) {
      project.dispose();
      this.projects.delete(key);
      project = undefined;
    }
    if (!project) {
      const root = config ? dirname(config) : resolve(projectDir);
      const { ts } = loadTypeScript(root);
      project = new TsProject(ts, config, root);
      project = this.referencedOwner(project, abs) ?? project;
    }
    // Re-insert to mark as most recently used.
    this.projects.delete(key);
    this.projects.set(key, project);
    this.evict();
    return project;
  }

  /** Releases every project (agent shutdown, tests). */
  clear(): void {
    for (const p of this.projects.values()) p.dispose();
    this.projects.clear();
  }

  private referencedOwner(project: TsProject, file: string): TsProject | undefined {
    if (!project.configFile || project.includes(file)) return undefined;
    const ts = project.ts;
    const read = ts.readConfigFile(project.configFile, (p) => ts.sys.readFile(p));
    const refs = (read.config?.references ?? []) as { path: string }[];
    for (const ref of refs) {
      let refPath = resolve(dirname(project.configFile), ref.path);
      if (!refPath.endsWith('.json')) refPath = join(refPath, 'tsconfig.json');
      if (!existsSync(refPath)) continue;
      const candidate = new TsProject(ts, refPath, dirname(refPath));
      if (candidate.includes(file)) {
        project.dispose();
        return candidate;
      }
      candidate.dispose();
    }
    return undefined;
  }

  private evict(): void {
    while (this.projects.size > this.maxProjects) {
      const oldest = this.projects.keys().next().value as string;
      this.projects.get(oldest)?.dispose();
      this.projects.delete(oldest);
    }
  }
}

/** Nearest tsconfig.json from the file's folder up to (and including) projectDir. */
export function findConfig(file: string, projectDir: string): string | undefined {
  const atProject = join(projectDir, 'tsconfig.json');
  let dir = dirname(file);
  for (;;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dir === projectDir || !dir.startsWith(projectDir)) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return existsSync(atProject) ? atProject : undefined;
}
