import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { diffLines } from 'diff';
import { TsCodeFixer } from '../../src/agent/fixers/tsCodeFixer';
import { loadTypeScript } from '../../src/agent/validators/typescript/loadTypeScript';
import { TsProjectRegistry } from '../../src/agent/validators/typescript/tsProjectRegistry';
import { toReports, TypeScriptValidator } from '../../src/agent/validators/typescript/typescriptValidator';
import type { ValidationReport } from '../../src/protocol/reports';
import { prepareBenchProject, projectRelative, readText } from '../support/benchProject';
import { describeMachine } from '../support/machine';
import { mulberry32, shuffled } from '../support/random';
import { median, ms, pct, table } from '../support/stats';
import { damagedLines, importBindings, importBlock } from './damage';
import { ALL_KINDS, COMPILER_FIXABLE, mutationSites, type Mutation, type MutationKind } from './mutations';

const SEED = Number(process.env.ANNEAL_BENCH_SEED ?? 20260101);
/** Cases wanted per kind; a kind the code base has few sites for gets fewer. */
const QUOTA: Record<MutationKind, number> = {
  'missing-import': 30,
  'misspelled-name': 30,
  'missing-this': 25,
  'missing-await': 10,
  'syntax-error': 15,
  'type-error': 15,
};
/** Sites tried per file and kind before moving on (most sites of some kinds are silent). */
const TRIES_PER_FILE = 4;
const TARGET_FIXED = 0.95;
/** Cannot find name 'x' (and its "did you mean" variants, incl. the instance and static member ones). */
const UNKNOWN_NAME = new Set(['TS2304', 'TS2552', 'TS2663', 'TS2662']);

interface Outcome {
  mutation: Mutation;
  introduced: string[];
  fixed: boolean;
  exact: boolean;
  untouched: boolean;
  damage: number;
  fixNames: string[];
  remaining: string[];
  /** The fixer's output text. */
  text: string;
  ms: number;
}

/** Position-free key: a fix that inserts an import line shifts every later error. */
function reportKey(r: ValidationReport): string {
  return `${r.code} ${r.message}`;
}

/** Reports in `after` beyond those in `before` (multiset difference). */
function extra(before: readonly ValidationReport[], after: readonly ValidationReport[]): string[] {
  const left = new Map<string, number>();
  for (const r of before) left.set(reportKey(r), (left.get(reportKey(r)) ?? 0) + 1);
  const out: string[] = [];
  for (const r of after) {
    const k = reportKey(r);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(`${r.code} (line ${r.line + 1}) ${r.message.split('\n')[0]}`);
  }
  return out;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    "bench:repair — seeded mutations of real code, repaired by the compiler's own code fixes (no model)",
  );
  const project = prepareBenchProject((l) => console.log(`  ${l}`));
  const { ts } = loadTypeScript(project.dir);
  console.log(`package:  ${project.label} (${project.sources.length} files)`);
  console.log(`compiler: TypeScript ${ts.version}`);
  console.log(`machine:  ${describeMachine()}`);
  console.log(`seed:     ${SEED}`);

  const hashesBefore = new Map(project.sources.map((f) => [f, sha256(f)]));
  const texts = new Map(project.sources.map((f) => [f, readText(f)]));
  const registry = new TsProjectRegistry();
  const validator = new TypeScriptValidator(registry);
  const fixer = new TsCodeFixer(registry);
  const tsProject = registry.projectFor(project.sources[0] as string, project.dir);

  // What tsc already reports on the pristine files, so a case counts only what its mutation added.
  const baseline = new Map<string, ValidationReport[]>();
  for (const f of project.sources) baseline.set(f, toReports(tsProject, f, tsProject.diagnostics(f)));
  const check = async (file: string, text: string) => {
    const reports = await validator.validate({ file, text, projectDir: project.dir });
    tsProject.clearOverlay(file);
    return reports;
  };

  // The corpus: per kind, seeded file order, one case per file first (more only where sites are
  // scarce), and only mutations tsc notices. A removed or misspelled name, or a member without its
  // `this.`, must also be reported as an unknown name: when the bare name silently binds to
  // something else (a DOM global like `Selection`, a parameter), no tool can tell it is wrong.
  const rand = mulberry32(SEED);
  const corpus: { mutation: Mutation; introduced: string[] }[] = [];
  const left = new Map<string, number>();
  const note = (reason: string) => left.set(reason, (left.get(reason) ?? 0) + 1);
  for (const kind of ALL_KINDS) {
    const order = shuffled(project.sources, rand);
    const sitesOf = new Map(
      order.map((f) => [f, shuffled(mutationSites(ts, kind, f, texts.get(f) ?? '', rand), rand)]),
    );
    let taken = 0;
    for (const cap of [1, 3]) {
      for (const file of order) {
        if (taken >= QUOTA[kind]) break;
        const sites = sitesOf.get(file) ?? [];
        let inFile = corpus.filter((c) => c.mutation.file === file && c.mutation.kind === kind).length;
        for (let tries = 0; tries < TRIES_PER_FILE && inFile < cap && taken < QUOTA[kind]; tries++) {
          const m = sites.shift();
          if (!m) break;
          const after = await check(file, m.text);
          const introduced = extra(baseline.get(file) ?? [], after);
          if (introduced.length === 0) {
            note(`${kind}: tsc reports nothing`);
            continue;
          }
          if (
            m.name !== undefined &&
            !after.some((r) => UNKNOWN_NAME.has(r.code) && r.message.includes(`'${m.name}'`))
          ) {
            note(`${kind}: name binds to something else`);
            continue;
          }
          corpus.push({ mutation: m, introduced });
          taken++;
          inFile++;
        }
      }
    }
  }
  console.log(`corpus:   ${corpus.length} cases`);
  console.log(`left out: ${[...left].map(([k, n]) => `${k} ${n}`).join('; ') || 'none'}`);

  const outcomes: Outcome[] = [];
  for (const { mutation: m, introduced } of corpus) {
    const original = texts.get(m.file) ?? '';
    const t0 = performance.now();
    const result = await fixer.fix({ file: m.file, text: m.text, projectDir: project.dir });
    const elapsed = performance.now() - t0;
    tsProject.clearOverlay(m.file);
    const after = await check(m.file, result.text);
    const base = baseline.get(m.file) ?? [];
    const remaining = extra(base, after);
    const fixed = remaining.length === 0 && extra(after, base).length === 0;
    let allowed = { first: m.firstLine, last: m.lastLine };
    if (m.kind === 'missing-import') {
      const resolveModule = (spec: string) =>
        ts.resolveModuleName(spec, m.file, tsProject.options, ts.sys).resolvedModule?.resolvedFileName ??
        spec;
      const restored =
        importBindings(ts, result.text, resolveModule).join('\n') ===
        importBindings(ts, original, resolveModule).join('\n');
      const block = importBlock(ts, original);
      if (restored && block)
        allowed = { first: Math.min(block.first, m.firstLine), last: Math.max(block.last, m.lastLine) };
    }
    outcomes.push({
      mutation: m,
      introduced,
      fixed,
      exact: result.text === original,
      untouched: result.text === m.text,
      damage: damagedLines(original, result.text, allowed),
      fixNames: result.fixes.map((f) => f.fixName),
      text: result.text,
      remaining,
      ms: elapsed,
    });
  }

  const diskChanged = project.sources.filter((f) => sha256(f) !== hashesBefore.get(f));

  const rows = ALL_KINDS.map((kind) => {
    const of = outcomes.filter((o) => o.mutation.kind === kind);
    const needsModel = !COMPILER_FIXABLE.has(kind);
    const damaged = of.filter((o) => o.damage > 0);
    return [
      kind,
      needsModel ? 'model' : 'compiler',
      String(of.length),
      of.length
        ? `${of.filter((o) => o.fixed).length} (${pct(of.filter((o) => o.fixed).length, of.length)})`
        : '-',
      of.length ? pct(of.filter((o) => o.exact).length, of.length) : '-',
      of.length ? `${damaged.length} / ${damaged.reduce((s, o) => s + o.damage, 0)}` : '-',
      of.length ? `${of.filter((o) => o.untouched).length}` : '-',
      of.length ? ms(median(of.map((o) => o.ms))) : '-',
    ];
  });
  console.log('');
  console.log(
    table(
      ['mutation', 'needs', 'cases', 'fixed', 'exact', 'damaged cases / lines', 'untouched', 'fixer p50'],
      rows,
    ),
  );

  const listed = outcomes.filter(
    (o) =>
      (COMPILER_FIXABLE.has(o.mutation.kind) && (!o.fixed || o.damage > 0)) ||
      (!COMPILER_FIXABLE.has(o.mutation.kind) && !o.untouched),
  );
  if (listed.length > 0) {
    console.log('');
    console.log('cases not fixed cleanly (compiler-fixable) or changed (needs a model):');
    for (const o of listed) {
      console.log(
        `  ${o.mutation.kind} ${projectRelative(project, o.mutation.file)}:${o.mutation.firstLine + 1} ${o.mutation.description}`,
      );
      console.log(`    introduced: ${o.introduced.join(' | ')}`);
      console.log(
        `    fixes: ${o.fixNames.join(', ') || '(none)'}; damage ${o.damage} lines; left: ${o.remaining.join(' | ') || '(nothing)'}`,
      );
    }
  }

  const inexact = outcomes.filter((o) => o.fixed && !o.exact);
  if (inexact.length > 0) {
    console.log('');
    console.log('fixed, but not restored to the exact original text:');
    for (const o of inexact) {
      const original = texts.get(o.mutation.file) ?? '';
      const changed = diffLines(original, o.text).filter((c) => c.added || c.removed);
      const show = changed.map((c) => `${c.added ? '+' : '-'} ${c.value.trimEnd()}`).join('  ');
      console.log(`  ${o.mutation.kind} ${projectRelative(project, o.mutation.file)}: ${show}`);
    }
  }

  const fixable = outcomes.filter((o) => COMPILER_FIXABLE.has(o.mutation.kind));
  const model = outcomes.filter((o) => !COMPILER_FIXABLE.has(o.mutation.kind));
  const fixedCount = fixable.filter((o) => o.fixed).length;
  const damage = fixable.reduce((s, o) => s + o.damage, 0);
  const checks: [string, boolean][] = [
    [
      `compiler-fixable cases fixed with zero tokens: ${fixedCount}/${fixable.length} (${pct(fixedCount, fixable.length)}; target ≥ ${TARGET_FIXED * 100}%)`,
      fixable.length > 0 && fixedCount >= TARGET_FIXED * fixable.length,
    ],
    [`damage on compiler-fixable cases: ${damage} lines (target 0)`, damage === 0],
    [
      `cases needing a model left untouched: ${model.filter((o) => o.untouched).length}/${model.length}`,
      model.every((o) => o.untouched),
    ],
    [
      `files on disk byte-identical after the run: ${project.sources.length - diskChanged.length}/${project.sources.length}`,
      diskChanged.length === 0,
    ],
  ];
  console.log('');
  console.log(
    `exact restoration (fixed text == original), compiler-fixable: ${pct(fixable.filter((o) => o.exact).length, fixable.length)}`,
  );
  console.log('tokens used: 0 (no model is configured; the fixer only applies compiler code fixes)');
  for (const [label, ok] of checks) console.log(`${ok ? 'MET   ' : 'MISSED'} ${label}`);
  console.log(`(run took ${ms(performance.now() - started)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
