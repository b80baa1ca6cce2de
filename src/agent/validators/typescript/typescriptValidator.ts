import { extname } from 'node:path';
import type * as TS from 'typescript';
import type { ValidationReport } from '../../../protocol/reports';
import { classifyTypeScript } from '../classify';
import type { ValidationInput, Validator } from '../validator';
import type { TsProject } from './tsProject';
import type { TsProjectRegistry } from './tsProjectRegistry';

const TS_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

export function isTypeScriptLike(file: string): boolean {
  return TS_EXTENSIONS.has(extname(file).toLowerCase());
}

/** Converts compiler diagnostics of one file into reports, classifying missing names by whether an import exists. */
export function toReports(
  project: TsProject,
  file: string,
  diags: readonly TS.Diagnostic[],
): ValidationReport[] {
  const ts = project.ts;
  const sf = project.sourceFile(file);
  return diags.map((d) => {
    const start = d.start ?? 0;
    const end = start + (d.length ?? 0);
    const s = sf ? sf.getLineAndCharacterOfPosition(start) : { line: 0, character: 0 };
    const e = sf ? sf.getLineAndCharacterOfPosition(end) : s;
    const importable = (d.code === 2304 || d.code === 2552) && hasImportFix(project, file, d);
    return {
      file,
      line: s.line,
      character: s.character,
      endLine: e.line,
      endCharacter: e.character,
      code: `TS${d.code}`,
      category: classifyTypeScript(d.code, importable),
      severity: d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning',
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      tool: 'tsc',
    } satisfies ValidationReport;
  });
}

function hasImportFix(project: TsProject, file: string, d: TS.Diagnostic): boolean {
  if (d.start === undefined || d.length === undefined) return false;
  try {
    const fixes = project.service.getCodeFixesAtPosition(file, d.start, d.start + d.length, [d.code], {}, {});
    return fixes.some((f) => f.fixName === 'import');
  } catch {
    return false;
  }
}

/** In-memory TypeScript/JavaScript validation through warm LanguageServices. */
export class TypeScriptValidator implements Validator {
  readonly tool = 'tsc' as const;

  constructor(
    private readonly registry: TsProjectRegistry,
    /** Follow tsc's program-wide rule exactly (used by `check`); see TsProject.diagnostics. */
    private readonly opts: { tscParity?: boolean } = {},
  ) {}

  appliesTo(file: string): boolean {
    return isTypeScriptLike(file);
  }

  async validate(input: ValidationInput): Promise<ValidationReport[]> {
    const project = this.registry.projectFor(input.file, input.projectDir);
    project.setOverlay(input.file, input.text);
    return toReports(project, input.file, project.diagnostics(input.file, this.opts));
  }
}
