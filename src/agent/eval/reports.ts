import { AnnealError } from '../annealError';
import { BENCH_SCHEMA_VERSION, BenchResult, type TaskResult } from './benchResult';
import { ATTEMPT_STEPS } from './metrics';

/** The JSON report: the result as is, schema-checked so a consumer can rely on it. */
export function reportJson(result: BenchResult): string {
  return JSON.stringify(BenchResult.parse(result), null, 2) + '\n';
}

/** Reads a JSON report, refusing other schema versions with a clear message. */
export function parseReportJson(text: string, source: string): BenchResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AnnealError('badInput', `${source} is not JSON (${(e as Error).message}).`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== BENCH_SCHEMA_VERSION) {
    throw new AnnealError(
      'badInput',
      `${source} has schemaVersion ${String(version)}; this Anneal reads version ${BENCH_SCHEMA_VERSION}. Re-run the bench with this version.`,
    );
  }
  const parsed = BenchResult.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AnnealError(
      'badInput',
      `${source} is not a bench result: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}

export function pct(v: number | null | undefined, digits = 1): string {
  return typeof v === 'number' ? `${(v * 100).toFixed(digits)}%` : '–';
}

function ci(interval: readonly [number, number] | null | undefined): string {
  return interval ? `${pct(interval[0])}–${pct(interval[1])}` : '–';
}

function num(v: number, digits = 1): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

function usd(v: number): string {
  return `$${v < 0.01 && v > 0 ? v.toFixed(5) : v.toFixed(4)}`;
}

/** A cell of a Markdown table: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function firstReason(t: TaskResult): string {
  const failed = t.samples.find((s) => !s.passed && s.status !== 'cancelled' && s.reason);
  if (!failed?.reason) return '';
  // For a failed test run the engine's own account says more than the test output's tail.
  const text =
    failed.status === 'failed' && failed.verdict
      ? `hidden tests failed; engine: ${failed.verdict}${failed.message ? ` – ${failed.message}` : ''}`
      : failed.reason;
  return text.length > 140 ? text.slice(0, 137) + '…' : text;
}

/** Pass@1 by language and kind: where the engine is strong and weak. */
export function breakdown(result: BenchResult): { group: string; tasks: number; passAt1: number }[] {
  const groups = new Map<string, number[]>();
  for (const t of result.tasks) {
    if (t.metrics.n === 0) continue;
    const key = `${t.language} ${t.kind}`;
    const list = groups.get(key) ?? [];
    list.push(t.metrics.c / t.metrics.n);
    groups.set(key, list);
  }
  return [...groups].map(([group, v]) => ({
    group,
    tasks: v.length,
    passAt1: v.reduce((a, b) => a + b, 0) / v.length,
  }));
}

function describeConfig(result: BenchResult): string {
  const c = result.config;
  return [
    `suite ${c.suite}`,
    `provider ${c.provider}${c.model ? ` / ${c.model}` : ''}`,
    c.baseUrl ? `base URL ${c.baseUrl}` : '',
    `n=${c.n}`,
    `k=${c.k.join(',')}`,
    `max attempts ${c.maxAttempts}`,
    `concurrency ${c.concurrency}`,
    `timeout ${c.timeoutSeconds}s`,
    c.filter ? `filter "${c.filter}"` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Headline rows shared by the Markdown and HTML reports. */
function summaryRows(result: BenchResult): [string, string][] {
  const s = result.summary;
  const rows: [string, string][] = [];
  for (const k of result.config.k) {
    const p = s.passAtK[String(k)];
    rows.push([
      `pass@${k}`,
      p?.value === null || !p
        ? `– (no task has ${k} samples)`
        : `${pct(p.value)} (95% CI ${ci(p.ci)}, ${p.tasks} tasks)`,
    ]);
  }
  rows.push(['Pass after 0 / 1 / 2 / 3 repair attempts', s.passAfterAttempts.map((v) => pct(v)).join(' / ')]);
  rows.push(['Zero-token fix share', pct(s.zeroTokenFixShare)]);
  rows.push(['Well-formed edit rate', pct(s.wellFormedEditRate)]);
  rows.push(['Repair success rate', pct(s.repairSuccessRate)]);
  rows.push(['Validation errors before repair (per sample)', num(s.errorsBeforeRepair, 2)]);
  rows.push([
    'Tokens per task (in / out, per sample)',
    `${num(s.tokensPerTask.input, 0)} / ${num(s.tokensPerTask.output, 0)}`,
  ]);
  rows.push(['Estimated cost per task', usd(s.costPerTaskUsd)]);
  rows.push(['Seconds per task', num(s.secondsPerTask, 2)]);
  rows.push(['Total tokens (in / out)', `${s.totalTokens.input} / ${s.totalTokens.output}`]);
  rows.push(['Total estimated cost', usd(s.totalCostUsd)]);
  const sc = s.statusCounts;
  rows.push([
    'Samples',
    `${s.samples} finished: ${sc.passed} passed, ${sc.failed} failed, ${sc.error} errors, ${sc.timeout} timeouts${sc.cancelled ? `; ${sc.cancelled} cancelled` : ''}`,
  ]);
  return rows;
}

/** The Markdown report. */
export function reportMarkdown(result: BenchResult): string {
  const ks = result.config.k;
  const out: string[] = [];
  out.push(`# Anneal bench: ${result.config.suite}${result.partial ? ' (partial: stopped early)' : ''}`);
  out.push('');
  out.push(`${describeConfig(result)}  `);
  out.push(
    `Started ${result.startedAt}, took ${num(result.durationSeconds, 1)}s. Anneal ${result.tool.version}.`,
  );
  out.push('');
  out.push('| Metric | Value |', '| --- | --- |');
  for (const [k, v] of summaryRows(result)) out.push(`| ${cell(k)} | ${cell(v)} |`);
  out.push('');
  const groups = breakdown(result);
  if (groups.length > 0) {
    out.push('| Group | Tasks | pass@1 |', '| --- | ---: | ---: |');
    for (const g of groups) out.push(`| ${g.group} | ${g.tasks} | ${pct(g.passAt1)} |`);
    out.push('');
  }
  out.push('## Tasks', '');
  out.push(
    `| Task | Lang | Kind | Passed | ${ks.map((k) => `pass@${k}`).join(' | ')} | Attempts | Tokens in/out | Cost | Seconds | Errors before | First failure |`,
  );
  out.push(
    `| --- | --- | --- | ---: | ${ks.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | ---: | --- |`,
  );
  for (const t of result.tasks) {
    const m = t.metrics;
    const attempts = t.samples.filter((s) => s.status !== 'cancelled').map((s) => s.attemptsUsed);
    out.push(
      `| ${cell(t.id)} | ${t.language === 'typescript' ? 'TS' : 'Py'} | ${t.kind} | ${m.c}/${m.n} | ${ks
        .map((k) => pct(m.passAtK[String(k)]))
        .join(
          ' | ',
        )} | ${attempts.length ? num(attempts.reduce((a, b) => a + b, 0) / attempts.length, 1) : '–'} | ${num(
        m.tokens.input,
        0,
      )}/${num(m.tokens.output, 0)} | ${usd(m.costUsd)} | ${num(m.seconds, 2)} | ${num(m.errorsBefore, 1)} | ${cell(firstReason(t))} |`,
    );
  }
  out.push('');
  out.push(
    'pass@k uses the unbiased estimator 1 − C(n−c, k)/C(n, k) averaged over tasks; its interval is a seeded 95% bootstrap over tasks. See docs/eval.md for every definition.',
  );
  return out.join('\n') + '\n';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Bar {
  label: string;
  segments: { value: number; className: string; title: string }[];
}

/** A vertical bar chart as inline SVG; each bar is a `g.bar`. */
function verticalBars(
  id: string,
  title: string,
  bars: Bar[],
  max: number,
  format: (v: number) => string,
): string {
  const width = 420;
  const height = 220;
  const left = 44;
  const bottom = 30;
  const plotH = height - bottom - 16;
  const slot = (width - left - 10) / Math.max(1, bars.length);
  const barW = Math.min(60, slot * 0.6);
  const parts: string[] = [];
  for (let t = 0; t <= 4; t++) {
    const y = 16 + plotH - (plotH * t) / 4;
    parts.push(`<line class="grid" x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}"/>`);
    parts.push(
      `<text class="axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${esc(format((max * t) / 4))}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let y = 16 + plotH;
    const rects: string[] = [];
    for (const seg of bar.segments) {
      const h = max > 0 ? (plotH * seg.value) / max : 0;
      y -= h;
      rects.push(
        `<rect class="${seg.className}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(seg.title)}</title></rect>`,
      );
    }
    const total = bar.segments.reduce((a, s) => a + s.value, 0);
    parts.push(
      `<g class="bar" data-label="${esc(bar.label)}" data-value="${total}">${rects.join('')}<text class="value" x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${esc(format(total))}</text><text class="axis" x="${(x + barW / 2).toFixed(1)}" y="${height - 10}" text-anchor="middle">${esc(bar.label)}</text></g>`,
    );
  });
  return `<figure><figcaption>${esc(title)}</figcaption><svg id="${id}" class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${parts.join('')}</svg></figure>`;
}

/** A horizontal bar chart (one row per task) as inline SVG; each bar is a `g.bar`. */
function horizontalBars(
  id: string,
  title: string,
  bars: Bar[],
  format: (v: number) => string,
  legend: string,
): string {
  const rowH = 16;
  const left = 190;
  const width = 640;
  const plotW = width - left - 70;
  const height = 24 + bars.length * rowH + 8;
  const max = Math.max(0, ...bars.map((b) => b.segments.reduce((a, s) => a + s.value, 0)));
  const parts: string[] = [];
  bars.forEach((bar, i) => {
    const y = 20 + i * rowH;
    let x = left;
    const rects: string[] = [];
    for (const seg of bar.segments) {
      const w = max > 0 ? (plotW * seg.value) / max : 0;
      rects.push(
        `<rect class="${seg.className}" x="${x.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 4}"><title>${esc(seg.title)}</title></rect>`,
      );
      x += w;
    }
    const total = bar.segments.reduce((a, s) => a + s.value, 0);
    parts.push(
      `<g class="bar" data-label="${esc(bar.label)}" data-value="${total}"><text class="axis" x="${left - 6}" y="${y + rowH - 4}" text-anchor="end">${esc(bar.label)}</text>${rects.join('')}<text class="value" x="${(x + 4).toFixed(1)}" y="${y + rowH - 4}">${esc(format(total))}</text></g>`,
    );
  });
  return `<figure><figcaption>${esc(title)} <span class="legend">${legend}</span></figcaption><svg id="${id}" class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><text class="axis" x="${left}" y="12">0</text><text class="axis" x="${left + plotW}" y="12" text-anchor="end">${esc(format(max))}</text>${parts.join('')}</svg></figure>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#59636e;margin:0 0 16px}.partial{color:#9a6700;font-weight:600}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #d1d9e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
.chart .grid{stroke:#eaeef2}.chart .axis{font-size:11px;fill:#59636e}.chart .value{font-size:11px;fill:#1f2328}
.chart .pass{fill:#2da44e}.chart .input{fill:#0969da}.chart .output{fill:#8250df}.chart .time{fill:#bf8700}.chart .failed{fill:#cf222e}
.legend{font-weight:400;font-size:12px;color:#59636e}.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.ok{color:#1a7f37}.bad{color:#cf222e}.reason{color:#59636e;font-size:12px;max-width:360px;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th{background:#161b22}th,td{border-color:#30363d}.chart .grid{stroke:#21262d}.chart .value{fill:#e6edf3}}
`;

/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no external resource;
 * its CSP forbids loading anything) that renders offline in any browser.
 */
export function reportHtml(result: BenchResult): string {
  const s = result.summary;
  const ks = result.config.k;
  const attemptsChart = verticalBars(
    'chart-pass-by-attempt',
    'Pass rate after N repair attempts',
    ATTEMPT_STEPS.map((a, i) => ({
      label: `${a}`,
      segments: [
        {
          value: s.passAfterAttempts[i] ?? 0,
          className: 'pass',
          title: `${pct(s.passAfterAttempts[i])} after ${a} attempts`,
        },
      ],
    })),
    1,
    (v) => pct(v, 0),
  );
  const tokensChart = horizontalBars(
    'chart-tokens',
    'Tokens per task (mean per sample)',
    result.tasks.map((t) => ({
      label: t.id,
      segments: [
        {
          value: t.metrics.tokens.input,
          className: 'input',
          title: `${t.id}: ${num(t.metrics.tokens.input, 0)} input tokens`,
        },
        {
          value: t.metrics.tokens.output,
          className: 'output',
          title: `${t.id}: ${num(t.metrics.tokens.output, 0)} output tokens`,
        },
      ],
    })),
    (v) => num(v, 0),
    '<span class="swatch" style="background:#0969da"></span>input<span class="swatch" style="background:#8250df"></span>output',
  );
  const timeChart = horizontalBars(
    'chart-time',
    'Seconds per task (mean per sample)',
    result.tasks.map((t) => ({
      label: t.id,
      segments: [
        {
          value: t.metrics.seconds,
          className: t.metrics.c === t.metrics.n && t.metrics.n > 0 ? 'time' : 'failed',
          title: `${t.id}: ${num(t.metrics.seconds, 2)} s`,
        },
      ],
    })),
    (v) => `${num(v, 1)}s`,
    '<span class="swatch" style="background:#bf8700"></span>all samples passed<span class="swatch" style="background:#cf222e"></span>some failed',
  );
  const summary = summaryRows(result)
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const groups = breakdown(result)
    .map(
      (g) =>
        `<tr><td>${esc(g.group)}</td><td class="num">${g.tasks}</td><td class="num">${pct(g.passAt1)}</td></tr>`,
    )
    .join('');
  const rows = result.tasks
    .map((t) => {
      const m = t.metrics;
      const all = m.n > 0 && m.c === m.n;
      return `<tr><td>${esc(t.id)}</td><td>${t.language === 'typescript' ? 'TS' : 'Py'}</td><td>${t.kind}</td><td class="num ${all ? 'ok' : 'bad'}">${m.c}/${m.n}</td>${ks
        .map((k) => `<td class="num">${pct(m.passAtK[String(k)])}</td>`)
        .join(
          '',
        )}<td class="num">${num(m.tokens.input, 0)}/${num(m.tokens.output, 0)}</td><td class="num">${usd(m.costUsd)}</td><td class="num">${num(m.seconds, 2)}</td><td class="num">${num(m.errorsBefore, 1)}</td><td class="reason">${esc(firstReason(t))}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anneal bench: ${esc(result.config.suite)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Anneal bench: ${esc(result.config.suite)}</h1>
<p class="meta">${esc(describeConfig(result))}<br>Started ${esc(result.startedAt)}, took ${num(result.durationSeconds, 1)}s · Anneal ${esc(result.tool.version)}${result.partial ? ' · <span class="partial">partial: stopped before every sample finished</span>' : ''}</p>
<h2>Summary</h2>
<table id="summary"><tbody>${summary}</tbody></table>
${groups ? `<table id="groups"><thead><tr><th>Group</th><th>Tasks</th><th>pass@1</th></tr></thead><tbody>${groups}</tbody></table>` : ''}
<h2>Charts</h2>
<div class="charts">
${attemptsChart}
${tokensChart}
${timeChart}
</div>
<h2>Tasks</h2>
<table id="tasks"><thead><tr><th>Task</th><th>Lang</th><th>Kind</th><th>Passed</th>${ks.map((k) => `<th>pass@${k}</th>`).join('')}<th>Tokens in/out</th><th>Cost</th><th>Seconds</th><th>Errors before</th><th>First failure</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="meta">pass@k: unbiased estimator 1 − C(n−c, k)/C(n, k), averaged over tasks; 95% interval by a seeded bootstrap over tasks. Per-task intervals and every definition: docs/eval.md.</p>
</body>
</html>
`;
}
