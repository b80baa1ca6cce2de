import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AnnealError } from '../annealError';
import { bundledTypeScript } from '../validators/typescript/loadTypeScript';
import type { BenchTask } from './benchTask';
import { runChild } from './childProcess';
import { pythonWithPytest } from './pythonForTests';
import { createTaskWorkspace } from './taskWorkspace';

export interface HiddenTestResult {
  passed: boolean;
  /** `failed`: tests ran and failed (or the file did not compile); `error`: the runner could not run. */
  outcome: 'passed' | 'failed' | 'timeout' | 'cancelled' | 'error';
  /** Test runner output (tail), for the report. */
  output: string;
  durationMs: number;
}

export interface HiddenTestOptions {
  templateDir?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const BUILD_DIR = '.anneal-build';

function tsFilesUnder(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFilesUnder(root, full));
    else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/**
 * Transpiles every TypeScript file of the copy to CommonJS next to it (types are stripped, not
 * checked: the hidden tests judge behaviour). Uses the TypeScript that ships with Anneal, so it
 * works from the bundle without tsx. Returns syntax errors instead of running broken code.
 */
function transpileProject(dir: string): string[] {
  const ts = bundledTypeScript();
  const errors: string[] = [];
  const outRoot = join(dir, BUILD_DIR);
  for (const file of tsFilesUnder(dir)) {
    const rel = relative(dir, file);
    const result = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    for (const d of result.diagnostics ?? []) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = pos ? `${rel}:${pos.line + 1}:${pos.character + 1}` : rel;
      errors.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    const out = join(outRoot, rel.replace(/\.(ts|mts|cts)$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, result.outputText);
  }
  writeFileSync(join(outRoot, 'package.json'), '{ "type": "commonjs" }\n');
  return errors;
}

/** The child's environment: no loaders inherited from the harness (mocha's tsx, for instance). */
function childEnv(): NodeJS.ProcessEnv {
  // Third-party pytest plugins are not loaded: they slow every run and could change outcomes.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
    NODE_NO_WARNINGS: '1',
  };
  delete env.NODE_OPTIONS;
  delete env.PYTHONPATH;
  return env;
}

/**
 * Runs a task's hidden tests against `candidate` (the task file's text) in a fresh temporary
 * copy, then deletes the copy. A hung test run is killed with its whole process group.
 */
export async function runHiddenTests(
  task: BenchTask,
  candidate: string,
  options: HiddenTestOptions = {},
): Promise<HiddenTestResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ws = createTaskWorkspace(task, options.templateDir, candidate, { withTests: true });
  try {
    let command: string;
    let args: string[];
    if (task.language === 'typescript') {
      const errors = transpileProject(ws.dir);
      if (errors.length > 0) {
        return {
          passed: false,
          outcome: 'failed',
          output: `does not compile:\n${errors.join('\n')}`,
          durationMs: Date.now() - started,
        };
      }
      command = process.execPath;
      args = ['--test', join(BUILD_DIR, task.tests.file.replace(/\.(ts|mts|cts)$/, '.js'))];
    } else {
      command = pythonWithPytest();
      args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--rootdir', ws.dir, task.tests.file];
    }
    const run = await runChild(command, args, {
      cwd: ws.dir,
      env: childEnv(),
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const durationMs = Date.now() - started;
    if (run.spawnError !== undefined) {
      return {
        passed: false,
        outcome: 'error',
        output: `could not start ${command}: ${run.spawnError}`,
        durationMs,
      };
    }
    if (run.aborted) return { passed: false, outcome: 'cancelled', output: run.output, durationMs };
    if (run.timedOut) {
      return {
        passed: false,
        outcome: 'timeout',
        output: `${run.output}\nhidden tests timed out after ${timeoutMs} ms`,
        durationMs,
      };
    }
    const passed = run.exitCode === 0;
    return { passed, outcome: passed ? 'passed' : 'failed', output: run.output, durationMs };
  } catch (e) {
    if (AnnealError.is(e)) throw e;
    return {
      passed: false,
      outcome: 'error',
      output: e instanceof Error ? e.message : String(e),
      durationMs: Date.now() - started,
    };
  } finally {
    ws.dispose();
  }
}
