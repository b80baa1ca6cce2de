import type { ValidationReport } from '../../protocol/reports';
import type { RunLog } from '../../protocol/runLog';

function ms(n: number | undefined): string {
  if (n === undefined) return '';
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function reportLine(r: ValidationReport): string {
  return `- \`${r.code}\` (${r.category}) line ${r.line + 1}:${r.character + 1} — ${cell(r.message)}`;
}

/** The run log as Markdown, for people: steps, reports before/after, fixes, attempts, budget. */
export function runLogToMarkdown(log: RunLog): string {
  const out: string[] = [];
  out.push(`# Anneal run ${log.runId}`, '');
  out.push(`- Goal: ${log.goal} — ${log.target} in \`${log.file}\``);
  out.push(`- Provider: ${log.provider}${log.model ? ` (${log.model})` : ''}`);
  out.push(`- Verdict: **${log.verdict}** — ${log.message}`);
  out.push(`- Duration: ${ms(log.durationMs)}`, '');
  out.push(
    '## Summary',
    '',
    '| errors before | errors after | zero-token fixes | repair attempts | repair success rate | repair tokens (in/out) |',
    '|---|---|---|---|---|---|',
  );
  const s = log.summary;
  out.push(
    `| ${s.errorsBefore} | ${s.errorsAfter} | ${s.zeroTokenFixes} | ${s.repairAttempts} | ${(s.repairSuccessRate * 100).toFixed(0)}% | ${s.repairTokens.input}/${s.repairTokens.output} |`,
    '',
  );
  out.push('## Steps', '', '| # | step | status | time | tokens | detail |', '|---|---|---|---|---|---|');
  for (const st of log.steps) {
    const tokens = st.tokens ? `${st.tokens.input}/${st.tokens.output}` : '';
    out.push(
      `| ${st.id} | ${cell(st.name)} | ${st.status} | ${ms(st.durationMs)} | ${tokens} | ${cell(st.detail ?? '')} |`,
    );
  }
  out.push('', '## Validation before', '');
  out.push(...(log.reportsBefore.length ? log.reportsBefore.map(reportLine) : ['None.']));
  if (log.fixes.length) {
    out.push('', '## Zero-token fixes', '');
    for (const f of log.fixes)
      out.push(`- line ${f.line + 1}: ${f.description} (\`${f.code}\`, ${f.tool} ${f.fixName})`);
  }
  if (log.attempts.length) {
    out.push(
      '',
      '## Repair attempts',
      '',
      '| # | errors in → out | success | tokens (in/out) | time | note |',
      '|---|---|---|---|---|---|',
    );
    for (const a of log.attempts) {
      out.push(
        `| ${a.n} | ${a.errorsIn} → ${a.errorsOut} | ${a.success ? 'yes' : 'no'} | ${a.tokens.input}/${a.tokens.output} | ${ms(a.durationMs)} | ${cell(a.rejected ?? '')} |`,
      );
    }
  }
  out.push('', '## Validation after', '');
  out.push(...(log.reportsAfter.length ? log.reportsAfter.map(reportLine) : ['None.']));
  const b = log.budget;
  out.push(
    '',
    '## Budget',
    '',
    `- Attempts: ${b.attemptsUsed} of ${b.maxAttempts}`,
    `- Tokens: ${b.tokens.input} in, ${b.tokens.output} out (budget ${b.tokenBudget})`,
    `- Estimated cost: $${b.estimatedCostUsd.toFixed(4)}`,
    '',
  );
  return out.join('\n');
}
