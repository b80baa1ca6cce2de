import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { repoRoot } from './e2eEnv';

/** The default workspace opened by UI and integration tests. */
export const e2eWorkspaceFixture = join(repoRoot, 'test', 'fixtures', 'e2e-workspace');

export interface WorkspaceCopyOptions {
  /** Written to .vscode/settings.json (merged over the fixture's own). */
  settings?: Record<string, unknown>;
  /** Extra or replaced files, by workspace-relative path. */
  files?: Record<string, string>;
}

const copies: string[] = [];
process.on('exit', () => {
  if (process.env.ANNEAL_E2E_KEEP === '1') return;
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

/**
 * Copies a fixture workspace to a temp dir so a test can change files and settings freely;
 * removed when the process exits. Returns the copy's absolute path.
 */
export function copyWorkspace(source = e2eWorkspaceFixture, options: WorkspaceCopyOptions = {}): string {
  if (!existsSync(source)) throw new Error(`Workspace fixture ${source} does not exist`);
  const parent = mkdtempSync(join(tmpdir(), 'anneal-e2e-ws-'));
  copies.push(parent);
  // Keep the fixture's folder name: it is what the Explorer and window title show.
  const target = join(parent, basename(source));
  cpSync(source, target, {
    recursive: true,
    filter: (src) => !src.includes(`${join(source, 'node_modules')}`),
  });
  if (options.settings) writeWorkspaceSettings(target, options.settings);
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(target, rel)), { recursive: true });
    writeFileSync(join(target, rel), content);
  }
  return target;
}

/**
 * Merges settings into `<workspace>/.vscode/settings.json`. VS Code watches that file, so this
 * also works while the workbench is open (poll for the effect afterwards).
 */
export function writeWorkspaceSettings(workspace: string, settings: Record<string, unknown>): void {
  const file = join(workspace, '.vscode', 'settings.json');
  let current: Record<string, unknown> = {};
  if (existsSync(file)) current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
}
