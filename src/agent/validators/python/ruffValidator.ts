import type { ValidationReport } from '../../../protocol/reports';
import type { ValidationInput, Validator } from '../validator';
import { cachedSiblingExports, resolveImport } from './pythonImports';
import { ruffDiagnostics, ruffReports, undefinedNames } from './ruffCheck';

/** Whether a path is Python source (or a stub) that the Python tools check. */
export function isPythonFile(file: string): boolean {
  return /\.pyi?$/i.test(file);
}

/**
 * Lints the candidate text in memory with Ruff's WebAssembly build (Pyflakes and pycodestyle's
 * error rules). Syntax errors and undefined names are errors; the rest are warnings.
 */
export class RuffValidator implements Validator {
  readonly tool = 'ruff' as const;

  appliesTo(file: string): boolean {
    return isPythonFile(file);
  }

  async validate(input: ValidationInput): Promise<ValidationReport[]> {
    const diagnostics = await ruffDiagnostics(input.text);
    const missing = undefinedNames(input.text, diagnostics);
    const siblings =
      missing.length > 0 ? await cachedSiblingExports(input.projectDir, input.file) : new Map();
    return ruffReports(
      input.file,
      diagnostics,
      (name) => resolveImport(name, input.text, siblings) !== null,
      input.text,
    );
  }
}
