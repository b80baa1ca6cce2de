import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AnnealError } from '../annealError';

/** Relative, forward-slash path that cannot climb out of the task folder. */
const RelativePath = z
  .string()
  .min(1)
  .refine(
    (p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'),
    'must be a relative path inside the task',
  );

/** One line of a suite's JSONL file. Documented in docs/eval.md. */
export const BenchTask = z.object({
  id: z.string().min(1),
  language: z.enum(['typescript', 'python']),
  kind: z.enum(['generate', 'repair']),
  /** Where the prompt file lives inside the task's project, e.g. `src/slug.ts` or `slug.py`. */
  file: RelativePath,
  /** The prompt file's content: a stub to fill (generate) or a broken implementation (repair). */
  prompt: z.string(),
  /** Hidden tests: never shown to the model, run on the final text. */
  tests: z.object({ file: RelativePath, content: z.string() }),
  /** A project template folder: a name under the suite's templates dir, or a path. */
  template: z.string().min(1).optional(),
  /** The function to generate or repair; the whole file is the target when absent. */
  entry: z.string().min(1).optional(),
  /** A correct file, used only by the suite's own discrimination check. */
  reference: z.string().optional(),
  /** An obvious wrong answer, used only by the discrimination check. */
  wrong: z.string().optional(),
  /** Free text describing the planted bug (repair tasks). */
  bugKind: z.string().optional(),
});
export type BenchTask = z.infer<typeof BenchTask>;

export interface BenchSuite {
  name: string;
  /** The JSONL file the tasks came from. */
  path: string;
  /** Where `template` names are looked up. */
  templatesDir: string;
  tasks: BenchTask[];
}

/**
 * The folder holding `builtin/tasks.jsonl` and `templates/`: next to the bundle (dist/bench/suites,
 * copied by esbuild.mjs) or at the repository root when running from sources.
 */
export function builtinSuitesDir(): string {
  const here = dirname(__filename);
  const candidates = [join(here, 'bench', 'suites'), resolve(here, '..', '..', '..', 'bench', 'suites')];
  for (const dir of candidates) if (existsSync(join(dir, 'builtin', 'tasks.jsonl'))) return dir;
  throw new AnnealError(
    'notFound',
    'The built-in bench suite was not found next to Anneal. Reinstall Anneal, or pass --suite <tasks.jsonl>.',
  );
}

/** Parses JSONL text into tasks; a bad line is reported with its line number. */
export function parseSuite(text: string, source: string): BenchTask[] {
  const tasks: BenchTask[] = [];
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.length === 0 || line.startsWith('//')) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new AnnealError('badInput', `${source}:${i + 1}: not valid JSON (${(e as Error).message}).`);
    }
    const parsed = BenchTask.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? issue.path.join('.') || '(task)' : '(task)';
      throw new AnnealError(
        'badInput',
        `${source}:${i + 1}: ${where}: ${issue?.message ?? 'invalid task'}. See docs/eval.md for the task format.`,
      );
    }
    if (ids.has(parsed.data.id)) {
      throw new AnnealError('badInput', `${source}:${i + 1}: duplicate task id "${parsed.data.id}".`);
    }
    ids.add(parsed.data.id);
    tasks.push(parsed.data);
  }
  if (tasks.length === 0) throw new AnnealError('badInput', `${source} holds no tasks.`);
  return tasks;
}

/** Loads `builtin` or a path to a JSONL file. A custom suite's templates live in `templates/` beside it. */
export function loadSuite(suite: string): BenchSuite {
  if (suite === 'builtin') {
    const dir = builtinSuitesDir();
    const path = join(dir, 'builtin', 'tasks.jsonl');
    return {
      name: 'builtin',
      path,
      templatesDir: join(dir, 'templates'),
      tasks: parseSuite(readFileSync(path, 'utf8'), path),
    };
  }
  const path = resolve(suite);
  if (!existsSync(path))
    throw new AnnealError(
      'notFound',
      `Suite file ${path} does not exist. Pass --suite builtin or a .jsonl path.`,
    );
  const name = path.replace(/^.*[\\/]/, '').replace(/\.jsonl$/, '');
  return {
    name,
    path,
    templatesDir: join(dirname(path), 'templates'),
    tasks: parseSuite(readFileSync(path, 'utf8'), path),
  };
}

/** The template folder a task asks for, or undefined when it has none. */
export function templateDirFor(suite: Pick<BenchSuite, 'templatesDir'>, task: BenchTask): string | undefined {
  if (!task.template) return undefined;
  const dir = isAbsolute(task.template) ? task.template : join(suite.templatesDir, task.template);
  if (!existsSync(dir)) {
    throw new AnnealError('notFound', `Task ${task.id}: template folder ${dir} does not exist.`);
  }
  return dir;
}
