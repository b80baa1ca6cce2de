import type { BenchResult, TaskResult } from './benchResult';
import { pct } from './reports';

export type TaskChange = 'fixed' | 'broken' | 'better' | 'worse' | 'same' | 'added' | 'removed';

export interface TaskComparison {
  id: string;
  change: TaskChange;
  /** pass@1 (c/n) in each result; null when the task is missing or has no finished sample. */
  before: number | null;
  after: number | null;
  tokensBefore: number | null;
  tokensAfter: number | null;
  secondsBefore: number | null;
  secondsAfter: number | null;
}

export interface BenchComparison {
  a: { label: string; provider: string; model?: string };
  b: { label: string; provider: string; model?: string };
  passAtK: { k: number; before: number | null; after: number | null }[];
  passAfterAttempts: { before: number[]; after: number[] };
  tasks: TaskComparison[];
  counts: Record<TaskChange, number>;
}

function rate(t: TaskResult | undefined): number | null {
  return t && t.metrics.n > 0 ? t.metrics.c / t.metrics.n : null;
}

function tokens(t: TaskResult | undefined): number | null {
  return t && t.metrics.n > 0 ? t.metrics.tokens.input + t.metrics.tokens.output : null;
}

function classify(before: number | null, after: number | null, inA: boolean, inB: boolean): TaskChange {
  if (!inA) return 'added';
  if (!inB) return 'removed';
  const x = before ?? 0;
  const y = after ?? 0;
  if (x === y) return 'same';
  if (x === 0 && y > 0) return 'fixed';
  if (x > 0 && y === 0) return 'broken';
  return y > x ? 'better' : 'worse';
}

/** Per-task changes from result `a` to result `b` (`anneal bench compare a.json b.json`). */
export function compareResults(
  a: BenchResult,
  b: BenchResult,
  labels: [string, string] = ['a', 'b'],
): BenchComparison {
  const byIdA = new Map(a.tasks.map((t) => [t.id, t]));
  const byIdB = new Map(b.tasks.map((t) => [t.id, t]));
  const ids = [...new Set([...a.tasks.map((t) => t.id), ...b.tasks.map((t) => t.id)])];
  const tasks = ids.map((id): TaskComparison => {
    const ta = byIdA.get(id);
    const tb = byIdB.get(id);
    const before = rate(ta);
    const after = rate(tb);
    return {
      id,
      change: classify(before, after, ta !== undefined, tb !== undefined),
      before,
      after,
      tokensBefore: tokens(ta),
      tokensAfter: tokens(tb),
      secondsBefore: ta && ta.metrics.n > 0 ? ta.metrics.seconds : null,
      secondsAfter: tb && tb.metrics.n > 0 ? tb.metrics.seconds : null,
    };
  });
  const counts: Record<TaskChange, number> = {
    fixed: 0,
    broken: 0,
    better: 0,
    worse: 0,
    same: 0,
    added: 0,
    removed: 0,
  };
  for (const t of tasks) counts[t.change]++;
  const ks = [...new Set([...a.config.k, ...b.config.k])].sort((x, y) => x - y);
  return {
    a: {
      label: labels[0],
      provider: a.config.provider,
      ...(a.config.model ? { model: a.config.model } : {}),
    },
    b: {
      label: labels[1],
      provider: b.config.provider,
      ...(b.config.model ? { model: b.config.model } : {}),
    },
    passAtK: ks.map((k) => ({
      k,
      before: a.summary.passAtK[String(k)]?.value ?? null,
      after: b.summary.passAtK[String(k)]?.value ?? null,
    })),
    passAfterAttempts: { before: a.summary.passAfterAttempts, after: b.summary.passAfterAttempts },
    tasks,
    counts,
  };
}

function delta(before: number | null, after: number | null, format: (v: number) => string): string {
  if (before === null || after === null) return '–';
  const d = after - before;
  return d === 0 ? '0' : `${d > 0 ? '+' : '−'}${format(Math.abs(d))}`;
}

const MARK: Record<TaskChange, string> = {
  fixed: '✔ fixed',
  broken: '✘ broken',
  better: '↑ better',
  worse: '↓ worse',
  same: '= same',
  added: '+ added',
  removed: '− removed',
};

function who(side: BenchComparison['a']): string {
  return `${side.label} (${side.provider}${side.model ? ` / ${side.model}` : ''})`;
}

/** Markdown: headline deltas, then only the tasks that changed (and a count of the rest). */
export function comparisonMarkdown(c: BenchComparison): string {
  const out: string[] = [`# Anneal bench: ${who(c.a)} → ${who(c.b)}`, ''];
  out.push('| Metric | Before | After | Change |', '| --- | ---: | ---: | ---: |');
  for (const p of c.passAtK)
    out.push(
      `| pass@${p.k} | ${pct(p.before)} | ${pct(p.after)} | ${delta(p.before, p.after, (v) => pct(v))} |`,
    );
  c.passAfterAttempts.before.forEach((before, i) => {
    const after = c.passAfterAttempts.after[i] ?? null;
    out.push(
      `| pass after ${i} attempts | ${pct(before)} | ${pct(after)} | ${delta(before, after, (v) => pct(v))} |`,
    );
  });
  out.push('');
  out.push(
    `Tasks: ${c.counts.fixed} fixed, ${c.counts.broken} broken, ${c.counts.better} better, ${c.counts.worse} worse, ${c.counts.same} unchanged, ${c.counts.added} added, ${c.counts.removed} removed.`,
  );
  const changed = c.tasks.filter((t) => t.change !== 'same');
  if (changed.length > 0) {
    out.push(
      '',
      '| Task | Change | Pass before | Pass after | Tokens Δ | Seconds Δ |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const t of changed) {
      out.push(
        `| ${t.id} | ${MARK[t.change]} | ${pct(t.before)} | ${pct(t.after)} | ${delta(t.tokensBefore, t.tokensAfter, (v) => v.toFixed(0))} | ${delta(
          t.secondsBefore,
          t.secondsAfter,
          (v) => v.toFixed(2),
        )} |`,
      );
    }
  }
  return out.join('\n') + '\n';
}

/** Plain text for a terminal: one line per changed task. */
export function comparisonText(c: BenchComparison): string {
  const out: string[] = [`${who(c.a)} → ${who(c.b)}`];
  for (const p of c.passAtK)
    out.push(
      `  pass@${p.k}: ${pct(p.before)} → ${pct(p.after)} (${delta(p.before, p.after, (v) => pct(v))})`,
    );
  out.push(
    `  tasks: ${c.counts.fixed} fixed, ${c.counts.broken} broken, ${c.counts.better} better, ${c.counts.worse} worse, ${c.counts.same} unchanged, ${c.counts.added} added, ${c.counts.removed} removed`,
  );
  const width = Math.max(0, ...c.tasks.map((t) => t.id.length));
  for (const t of c.tasks) {
    if (t.change === 'same') continue;
    out.push(`  ${t.id.padEnd(width)}  ${MARK[t.change].padEnd(10)} ${pct(t.before)} → ${pct(t.after)}`);
  }
  return out.join('\n') + '\n';
}
