import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { ValidationReport } from '../../../protocol/reports';
import { AnnealError } from '../../annealError';
import type { ValidationInput, Validator } from '../validator';
import { ConcurrencyLimit, runProcess } from './childProcess';
import { projectVenvPython, sweepStaleTempDirs } from './projectMirror';
import { PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE } from './pytestPlugin';
import { isInside, listPythonFiles } from './pythonImports';
import { isPythonFile } from './ruffValidator';

const PluginReport = z.object({
  exitstatus: z.number(),
  results: z.array(
    z.object({
      nodeid: z.string(),
      when: z.string(),
      message: z.string(),
      frames: z.array(z.tuple([z.string(), z.number()])),
    }),
  ),
});

/** Folders never copied into the test sandbox: VCS data, environments, caches, build output. */
const SKIP_COPY = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.venv',
  'venv',
]);
const MAX_COPY_FILES = 5000;
const MAX_TEST_FILES = 3000;

export interface PytestOptions {
  timeoutMs: number;
  /** An interpreter to use instead of detecting one. */
  python?: string;
  concurrency?: number;
}

function isTestFileName(name: string): boolean {
  return /^test_.*\.py$/.test(name) || /_test\.py$/.test(name);
}

/**
 * Test files related to `file`: the file itself if it is a test; else `test_<name>.py` and
 * `<name>_test.py` anywhere in the project; else test files under `tests/` or `test/` that import
 * the module. Paths are absolute, sorted.
 */
export async function relatedTests(projectDir: string, file: string): Promise<string[]> {
  const name = basename(file);
  if (isTestFileName(name)) return [resolve(file)];
  const stem = name.replace(/\.py$/, '');
  const all = (await listPythonFiles(projectDir, MAX_TEST_FILES)).filter((f) => isTestFileName(basename(f)));
  const byName = all.filter((f) => basename(f) === `test_${stem}.py` || basename(f) === `${stem}_test.py`);
  if (byName.length > 0) return byName.sort();
  const importRe = new RegExp(`^\\s*(from|import)\\s+([\\w.]+\\.)?${stem}\\b`, 'm');
  const out: string[] = [];
  for (const f of all) {
    const rel = relative(projectDir, f).split(sep);
    if (rel[0] !== 'tests' && rel[0] !== 'test') continue;
    try {
      if (importRe.test(await readFile(f, 'utf8'))) out.push(f);
    } catch {
      // Unreadable: not related as far as we can tell.
    }
  }
  return out.sort();
}

const interpreters = new Map<string, Promise<string | null>>();

/**
 * The first interpreter that has pytest: the project's virtual environment, then `python3` on
 * PATH, then the system's /usr/bin/python3. Cached per project.
 */
export function findPytestPython(projectDir: string): Promise<string | null> {
  const key = resolve(projectDir);
  let hit = interpreters.get(key);
  if (!hit) {
    hit = (async () => {
      const venv = projectVenvPython(key, existsSync);
      const candidates = [
        ...(venv ? [venv] : []),
        ...(process.platform === 'win32' ? ['python', 'py'] : ['python3', '/usr/bin/python3', 'python']),
      ];
      for (const python of candidates) {
        try {
          const r = await runProcess(python, ['-m', 'pytest', '--version'], {
            cwd: tmpdir(),
            timeoutMs: 30_000,
          });
          if (r.exitCode === 0) return python;
        } catch {
          // Not runnable; try the next.
        }
      }
      return null;
    })();
    interpreters.set(key, hit);
    // A miss is not cached for long: the user may install pytest and retry.
    void hit.then((p) => {
      if (p === null) setTimeout(() => interpreters.delete(key), 30_000).unref();
    });
  }
  return hit;
}

/** Copies the project minus environments and caches; bounded so a huge tree fails fast. */
async function copyProject(from: string, to: string): Promise<void> {
  let files = 0;
  const walk = async (src: string, dst: string): Promise<void> => {
    await mkdir(dst, { recursive: true });
    for (const e of await readdir(src, { withFileTypes: true })) {
      if (SKIP_COPY.has(e.name)) continue;
      const s = join(src, e.name);
      const d = join(dst, e.name);
      if (e.isDirectory()) {
        if (existsSync(join(s, 'pyvenv.cfg'))) continue;
        await walk(s, d);
      } else if (e.isFile()) {
        files += 1;
        if (files > MAX_COPY_FILES) {
          throw new AnnealError(
            'fileTooLarge',
            `The project has more than ${MAX_COPY_FILES} files, too many to copy for a test run. Turn tests off for this project or open a smaller folder.`,
          );
        }
        await copyFile(s, d);
      }
    }
  };
  await walk(from, to);
}

/** The 0-based line in the target that a failure points at: its last frame there, or a message hit. */
function targetLine(
  frames: readonly (readonly [string, number])[],
  message: string,
  target: string,
  realTarget: string,
): number {
  for (let i = frames.length - 1; i >= 0; i--) {
    const [path, line] = frames[i] ?? ['', 0];
    if (path === realTarget || path === target) return Math.max(0, line);
  }
  // Collection errors (a syntax error while importing) only name the place in their text.
  for (const t of [target, realTarget]) {
    const esc = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(?:File "${esc}", line |${esc}:)(\\d+)`).exec(message);
    if (m?.[1]) return Math.max(0, Number(m[1]) - 1);
  }
  return 0;
}

/**
 * Runs the tests related to the file against the candidate text, in a temporary copy of the
 * project (the user's tree is never touched, not even for __pycache__). Each failing test becomes
 * a `contract_violation` report whose code is the pytest node id and whose message is the full
 * failure text. A run that outlives the timeout is killed with everything it started and
 * reported as one failure.
 */
export class PytestRunner implements Validator {
  readonly tool = 'pytest' as const;
  private readonly limit: ConcurrencyLimit;

  constructor(private readonly opts: PytestOptions) {
    this.limit = new ConcurrencyLimit(opts.concurrency ?? 2);
  }

  appliesTo(file: string): boolean {
    return isPythonFile(file) && !file.endsWith('.pyi');
  }

  async validate(input: ValidationInput): Promise<ValidationReport[]> {
    const projectDir = resolve(input.projectDir);
    const file = resolve(input.file);
    if (!isInside(projectDir, file)) return [];
    const tests = await relatedTests(projectDir, file);
    if (tests.length === 0) return [];
    const python = this.opts.python ?? (await findPytestPython(projectDir));
    if (python === null) {
      throw new AnnealError(
        'unavailable',
        'pytest was not found. Install it in the project environment (pip install pytest) or turn tests off.',
      );
    }
    return this.limit.run(() => this.run(input, projectDir, file, tests, python));
  }

  private async run(
    input: ValidationInput,
    projectDir: string,
    file: string,
    tests: string[],
    python: string,
  ): Promise<ValidationReport[]> {
    await sweepStaleTempDirs('anneal-pytest-');
    const root = await mkdtemp(join(tmpdir(), 'anneal-pytest-'));
    try {
      const copy = join(root, 'project');
      const pluginDir = join(root, 'plugin');
      const reportPath = join(root, 'report.json');
      await copyProject(projectDir, copy);
      const target = join(copy, relative(projectDir, file));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, input.text, 'utf8');
      await mkdir(pluginDir);
      await writeFile(join(pluginDir, `${PYTEST_PLUGIN_MODULE}.py`), PYTEST_PLUGIN_SOURCE, 'utf8');
      // The copy comes first on the path so that an editable install cannot import the real tree.
      const pythonPath = [pluginDir, copy, ...(existsSync(join(copy, 'src')) ? [join(copy, 'src')] : [])];
      if (process.env.PYTHONPATH) pythonPath.push(process.env.PYTHONPATH);
      const args = [
        '-m',
        'pytest',
        '-p',
        PYTEST_PLUGIN_MODULE,
        '-p',
        'no:cacheprovider',
        '-q',
        '--tb=short',
        '--rootdir',
        copy,
        ...tests.map((t) => relative(projectDir, t)),
      ];
      const result = await runProcess(python, args, {
        cwd: copy,
        env: {
          ...process.env,
          PYTHONPATH: pythonPath.join(delimiter),
          PYTHONDONTWRITEBYTECODE: '1',
          ANNEAL_PYTEST_REPORT: reportPath,
        },
        timeoutMs: this.opts.timeoutMs,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      const rel = relative(projectDir, file);
      if (result.timedOut) {
        return [
          {
            file: input.file,
            line: 0,
            character: 0,
            endLine: 0,
            endCharacter: 0,
            code: 'timeout',
            category: 'contract_violation',
            severity: 'error',
            message: `The tests for ${rel} (${tests.map((t) => relative(projectDir, t)).join(', ')}) did not finish within ${Math.round(this.opts.timeoutMs / 1000)} s and were stopped. Look for an endless loop or a blocking call.`,
            tool: 'pytest',
          },
        ];
      }
      let parsed: z.infer<typeof PluginReport>;
      try {
        parsed = PluginReport.parse(JSON.parse(await readFile(reportPath, 'utf8')));
      } catch {
        const out = `${result.stdout}\n${result.stderr}`.trim().slice(-2000);
        throw new AnnealError(
          'unavailable',
          `pytest did not run (exit ${String(result.exitCode)}). Check that the tests run with "${python} -m pytest". Output: ${out}`,
        );
      }
      const realTarget = realpathSync(target);
      // Failure texts name the sandbox; show the user's paths instead.
      const unsandbox = (s: string): string => s.split(copy + sep).join(projectDir + sep);
      const reports = parsed.results.map((r): ValidationReport => {
        const line = targetLine(r.frames, r.message, target, realTarget);
        return {
          file: input.file,
          line,
          character: 0,
          endLine: line,
          endCharacter: 0,
          code: r.when === 'call' || r.when === 'collect' ? r.nodeid : `${r.nodeid} (${r.when})`,
          category: 'contract_violation',
          severity: 'error',
          message: unsandbox(r.message),
          tool: 'pytest',
        };
      });
      return reports.sort((a, b) => a.line - b.line);
    } finally {
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}
