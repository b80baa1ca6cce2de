import type { ValidationReport } from '../../protocol/reports';

/** Source shown in the Problems panel for everything Anneal reports. */
export const DIAGNOSTIC_SOURCE = 'Anneal';

/** A diagnostic as plain data: what vscode.Diagnostic is built from, 0-based like the protocol. */
export interface DiagnosticData {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  message: string;
  code: string;
  severity: 'error' | 'warning';
  source: typeof DIAGNOSTIC_SOURCE;
}

/** Report → diagnostic data: the tool's code as the code, the category in the message. */
export function reportToDiagnosticData(report: ValidationReport): DiagnosticData {
  // A report that ends before it starts (or at its start) still needs a visible squiggle.
  const endsBefore =
    report.endLine < report.line ||
    (report.endLine === report.line && report.endCharacter < report.character);
  return {
    startLine: report.line,
    startCharacter: report.character,
    endLine: endsBefore ? report.line : report.endLine,
    endCharacter: endsBefore ? report.character : report.endCharacter,
    message: `${report.message} [${report.category}, ${report.tool}]`,
    code: report.code,
    severity: report.severity,
    source: DIAGNOSTIC_SOURCE,
  };
}

/** Groups reports by file, keeping their order; duplicates (same place, code and message) collapse. */
export function groupReportsByFile(reports: readonly ValidationReport[]): Map<string, DiagnosticData[]> {
  const byFile = new Map<string, DiagnosticData[]>();
  const seen = new Set<string>();
  for (const r of reports) {
    const key = `${r.file}\0${r.line}:${r.character}\0${r.code}\0${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byFile.get(r.file) ?? [];
    list.push(reportToDiagnosticData(r));
    byFile.set(r.file, list);
  }
  return byFile;
}
