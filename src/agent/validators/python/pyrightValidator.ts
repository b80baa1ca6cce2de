import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ErrorCategory, Severity, ValidationReport } from '../../../protocol/reports';
import { AnnealError } from '../../annealError';
import type { ValidationInput, Validator } from '../validator';
import { ConcurrencyLimit, runProcess } from './childProcess';
import { createProjectMirror, projectVenvPython } from './projectMirror';
import { cachedSiblingExports, resolveImport } from './pythonImports';
import { isPythonFile } from './ruffValidator';

const PyrightRange = z.object({
  start: z.object({ line: z.number(), character: z.number() }),
  end: z.object({ line: z.number(), character: z.number() }),
});

/** The part of `pyright --outputjson` that is read. */
const PyrightOutput = z.object({
  generalDiagnostics: z.array(
    z.object({
      file: z.string(),
      severity: z.string(),
      message: z.string(),
      range: PyrightRange.optional(),
      rule: z.string().optional(),
    }),
  ),
});
type PyrightDiagnostic = z.infer<typeof PyrightOutput>['generalDiagnostics'][number];

const TYPE_RULES = new Set([
  'reportArgumentType',
  'reportAssignmentType',
  'reportReturnType',
  'reportCallIssue',
  'reportIndexIssue',
  'reportOperatorIssue',
  'reportGeneralTypeIssues',
  'reportOptionalMemberAccess',
  'reportOptionalSubscript',
  'reportOptionalIterable',
  'reportOptionalCall',
  'reportOptionalOperand',
  'reportOptionalContextManager',
  'reportTypedDictNotRequiredAccess',
  'reportAbstractUsage',
]);

/**
 * Category of a pyright finding. A missing attribute (`reportAttributeAccessIssue`) counts as an
 * undefined name: the fix is the same kind (use a name that exists), not a type conversion.
 */
function categoryOf(rule: string | undefined, importable: boolean): ErrorCategory {
  if (rule === undefined) return 'syntax';
  if (rule === 'reportUndefinedVariable') return importable ? 'missing_import' : 'undefined_name';
  if (rule === 'reportMissingImports' || rule === 'reportMissingModuleSource') return 'missing_import';
  if (rule === 'reportAttributeAccessIssue' || rule === 'reportPossiblyUnbound') return 'undefined_name';
  if (TYPE_RULES.has(rule)) return 'type_mismatch';
  return 'other';
}

/**
 * Finds pyright's command-line entry: the project's own copy first (its version is the one the
 * user trusts), else the one shipped with the extension (dist/node_modules/pyright).
 */
export function resolvePyrightCli(projectDir: string): string {
  for (const base of [join(projectDir, 'package.json'), __filename]) {
    try {
      const pkgPath = createRequire(base).resolve('pyright/package.json');
      const pkg = z
        .object({ bin: z.union([z.string(), z.record(z.string(), z.string())]).optional() })
        .parse(JSON.parse(readFileSync(pkgPath, 'utf8')));
      const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.pyright ?? 'index.js');
      const cli = join(dirname(pkgPath), bin);
      if (existsSync(cli)) return cli;
    } catch {
      // Not installed there; try the next place.
    }
  }
  throw new AnnealError(
    'unavailable',
    'Pyright was not found. Reinstall the extension or add pyright to the project (npm i -D pyright).',
  );
}

/** Whether the project configures pyright itself (then its venv settings apply, not ours). */
function hasPyrightConfig(projectDir: string): boolean {
  if (existsSync(join(projectDir, 'pyrightconfig.json'))) return true;
  try {
    return readFileSync(join(projectDir, 'pyproject.toml'), 'utf8').includes('[tool.pyright');
  } catch {
    return false;
  }
}

export interface PyrightOptions {
  timeoutMs: number;
  /** How many pyright processes may run at once (each takes ~150 MB and one core). */
  concurrency?: number;
}

/**
 * Type-checks the candidate text with the pyright CLI (`--outputjson`) inside a private mirror of
 * the project (see createProjectMirror), so nothing is written into the user's tree. Reports
 * are for the target file only.
 */
export class PyrightValidator implements Validator {
  readonly tool = 'pyright' as const;
  private readonly limit: ConcurrencyLimit;

  constructor(private readonly opts: PyrightOptions) {
    this.limit = new ConcurrencyLimit(opts.concurrency ?? 2);
  }

  appliesTo(file: string): boolean {
    return isPythonFile(file);
  }

  validate(input: ValidationInput): Promise<ValidationReport[]> {
    return this.limit.run(() => this.check(input));
  }

  private async check(input: ValidationInput): Promise<ValidationReport[]> {
    const cli = resolvePyrightCli(input.projectDir);
    const mirror = await createProjectMirror(input.projectDir, input.file, input.text);
    try {
      const args = [cli, '--outputjson', '-p', mirror.root];
      const venvPython = hasPyrightConfig(input.projectDir)
        ? undefined
        : projectVenvPython(input.projectDir, existsSync);
      if (venvPython !== undefined) args.push('--pythonpath', venvPython);
      args.push(mirror.target);
      const result = await runProcess(process.execPath, args, {
        cwd: mirror.root,
        // The agent host may run inside Electron; this makes its binary behave as plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        timeoutMs: this.opts.timeoutMs,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      if (result.timedOut) {
        throw new AnnealError(
          'timeout',
          `Pyright did not finish within ${Math.round(this.opts.timeoutMs / 1000)} s. Raise the validation timeout or check a smaller project.`,
        );
      }
      // Exit 0: no errors, 1: errors found; anything else is pyright failing to run.
      if (result.exitCode !== 0 && result.exitCode !== 1) {
        throw new AnnealError(
          'unavailable',
          `Pyright failed (exit ${String(result.exitCode)}): ${(result.stderr || result.stdout).trim().slice(0, 500)}. Check the project's pyright configuration.`,
        );
      }
      const json = result.stdout.slice(result.stdout.indexOf('{'));
      let parsed;
      try {
        parsed = PyrightOutput.parse(JSON.parse(json));
      } catch (e) {
        throw new AnnealError('unavailable', 'Pyright produced output that could not be read.', undefined, {
          cause: e,
        });
      }
      const target = realpathSync(mirror.target);
      const mine = parsed.generalDiagnostics.filter((d) => d.file === mirror.target || d.file === target);
      return await this.toReports(input, mine);
    } finally {
      await mirror.dispose();
    }
  }

  private async toReports(input: ValidationInput, diags: PyrightDiagnostic[]): Promise<ValidationReport[]> {
    const lines = input.text.split(/\r\n|\r|\n/);
    const undefinedName = (d: PyrightDiagnostic): string => {
      if (d.rule !== 'reportUndefinedVariable' || !d.range) return '';
      const { start, end } = d.range;
      return start.line === end.line ? (lines[start.line] ?? '').slice(start.character, end.character) : '';
    };
    const needSiblings = diags.some((d) => undefinedName(d) !== '');
    const siblings = needSiblings ? await cachedSiblingExports(input.projectDir, input.file) : new Map();
    const reports: ValidationReport[] = [];
    for (const d of diags) {
      // "information" findings (hints) do not bear on a verdict.
      if (d.severity !== 'error' && d.severity !== 'warning') continue;
      const severity: Severity = d.severity;
      const name = undefinedName(d);
      const start = d.range?.start ?? { line: 0, character: 0 };
      const end = d.range?.end ?? start;
      reports.push({
        file: input.file,
        line: Math.max(0, start.line),
        character: Math.max(0, start.character),
        endLine: Math.max(0, end.line),
        endCharacter: Math.max(0, end.character),
        code: d.rule ?? 'syntax',
        category: categoryOf(d.rule, name !== '' && resolveImport(name, input.text, siblings) !== null),
        severity,
        message: d.message,
        tool: 'pyright',
      });
    }
    return reports.sort((a, b) => a.line - b.line || a.character - b.character);
  }
}
