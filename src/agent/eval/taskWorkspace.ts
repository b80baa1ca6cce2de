import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchTask } from './benchTask';

/** A throw-away copy of a task's project. */
export interface TaskWorkspace {
  /** The project root. */
  dir: string;
  /** Absolute path of the task's file inside `dir`. */
  file: string;
  dispose(): void;
}

/**
 * Copies the template into a fresh temporary folder and writes the task file with `text`; the
 * hidden tests are added only when asked, so a model never sees them.
 */
export function createTaskWorkspace(
  task: BenchTask,
  templateDir: string | undefined,
  text: string,
  options: { withTests: boolean },
): TaskWorkspace {
  const dir = mkdtempSync(join(tmpdir(), `anneal-bench-${task.id.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  if (templateDir) cpSync(templateDir, dir, { recursive: true });
  const file = join(dir, task.file);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (options.withTests) {
    const testsFile = join(dir, task.tests.file);
    mkdirSync(dirname(testsFile), { recursive: true });
    writeFileSync(testsFile, task.tests.content);
  }
  return {
    dir,
    file,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
