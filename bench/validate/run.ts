import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTypeScript } from '../../src/agent/validators/typescript/loadTypeScript';
import { TsProjectRegistry } from '../../src/agent/validators/typescript/tsProjectRegistry';
import { TypeScriptValidator } from '../../src/agent/validators/typescript/typescriptValidator';
import type { ValidationReport } from '../../src/protocol/reports';
import { prepareBenchProject, projectRelative, readText, type BenchProject } from '../support/benchProject';
import { describeMachine } from '../support/machine';
import { mulberry32 } from '../support/random';
import { median, ms, percentile, table } from '../support/stats';
import { runTsc, type TscDiagnostic } from '../support/tsc';
import { chooseEdits, type Edit } from './edits';
import { RawLanguageService } from './rawLanguageService';

const SEED = Number(process.env.ANNEAL_BENCH_SEED ?? 20260101);
const EDIT_COUNT = 24;
/** Each edit is checked this often (each time as a new text), and its time is the median. */
const REPEATS = 5;
const TSC_RUNS = 3;
const TARGET_VS_RAW = 1.2;
const TARGET_VS_TSC = 50;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Collects garbage before a timed check (when run with --expose-gc), so one checker's garbage is not billed to the other. */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

function timed<T>(fn: () => T): [T, Sample] {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return [value, { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }];
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, Sample]> {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return [value, { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }];
}

function key(d: { code: string; line: number; column: number; message: string }): string {
  return `${d.line}:${d.column} ${d.code} ${d.message}`;
}

function reportsAsTsc(reports: readonly ValidationReport[]): string[] {
  return reports.map((r) =>
    key({ code: r.code, line: r.line + 1, column: r.character + 1, message: r.message }),
  );
}

/** The project copied to a temp folder (node_modules linked), with the edits written into it. */
function editedCopy(project: BenchProject, edited: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-bench-validate-'));
  cpSync(join(project.dir, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(project.tsconfig, join(dir, 'tsconfig.json'));
  cpSync(join(project.dir, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(project.dir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [file, text] of edited) writeFileSync(join(dir, projectRelative(project, file)), text);
  return dir;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log('bench:validate — tsc vs the engine vs a bare LanguageService, one edited file at a time');
  const project = prepareBenchProject((l) => console.log(`  ${l}`));
  const { ts } = loadTypeScript(project.dir);
  console.log(`package:  ${project.label} (${project.sources.length} files type-checked)`);
  console.log(`compiler: TypeScript ${ts.version}`);
  console.log(`machine:  ${describeMachine()}`);
  console.log(
    `seed:     ${SEED}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
  );

  // (a) tsc, spawned on the pristine project, as a tool that type-checks each candidate would.
  const tscRuns = [];
  for (let i = 0; i < TSC_RUNS; i++) {
    const r = await runTsc(project.dir);
    tscRuns.push(r);
    console.log(
      `  (a) tsc run ${i + 1}: ${ms(r.wallMs)} wall, ${ms(r.cpuMs)} CPU, ${r.diagnostics.length} diagnostics`,
    );
  }
  const baselineCounts = new Set(tscRuns.map((r) => r.diagnostics.length));
  if (baselineCounts.size !== 1)
    console.log('  WARNING: tsc reported a different number of diagnostics across runs');

  // Both in-memory checkers, built and warmed in this process.
  const texts = new Map(project.sources.map((f) => [f, readText(f)]));
  const raw = new RawLanguageService(ts, project.tsconfig);
  const registry = new TsProjectRegistry();
  const validator = new TypeScriptValidator(registry);
  const first = project.sources[0] as string;
  const [, rawBuild] = timed(() => raw.diagnostics(first));
  const [, engineBuild] = await timedAsync(() =>
    validator.validate({ file: first, text: texts.get(first) ?? '', projectDir: project.dir }),
  );
  registry.projectFor(first, project.dir).clearOverlay(first);
  const rand = mulberry32(SEED);
  const edits = chooseEdits(ts, raw.service, project.sources, texts, EDIT_COUNT + 1, rand);
  const warmup = edits.shift() as Edit;
  console.log(
    `  first check (program build): engine ${ms(engineBuild.wallMs)}, bare LanguageService ${ms(rawBuild.wallMs)}`,
  );
  const engineProject = registry.projectFor(warmup.file, project.dir);
  for (let v = 0; v < 3; v++) {
    raw.setText(warmup.file, warmup.apply(v));
    raw.diagnostics(warmup.file);
    raw.reset(warmup.file);
    await validator.validate({ file: warmup.file, text: warmup.apply(v), projectDir: project.dir });
    engineProject.clearOverlay(warmup.file);
  }

  // (b) and (c): the same edits, alternating which goes first so neither always runs on a hotter cache.
  const engineTimes: Sample[] = [];
  const rawTimes: Sample[] = [];
  const engineReports = new Map<string, string[]>();
  const rawReports = new Map<string, string[]>();
  const rows: string[][] = [];
  for (const [i, edit] of edits.entries()) {
    const e: Sample[] = [];
    const r: Sample[] = [];
    for (let v = 0; v < REPEATS; v++) {
      const text = edit.apply(v);
      const runEngine = async () => {
        const [reports, sample] = await timedAsync(() =>
          validator.validate({ file: edit.file, text, projectDir: project.dir }),
        );
        engineProject.clearOverlay(edit.file);
        e.push(sample);
        if (v === 0) engineReports.set(edit.file, reportsAsTsc(reports));
      };
      const runRaw = () => {
        raw.setText(edit.file, text);
        const [diags, sample] = timed(() => raw.diagnostics(edit.file));
        r.push(sample);
        if (v === 0) {
          const sf = raw.service.getProgram()?.getSourceFile(edit.file);
          rawReports.set(
            edit.file,
            diags.map((d) => {
              const pos = sf?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0, character: 0 };
              return key({
                code: `TS${d.code}`,
                line: pos.line + 1,
                column: pos.character + 1,
                message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
              });
            }),
          );
        }
        raw.reset(edit.file);
      };
      if ((i + v) % 2 === 0) {
        await runEngine();
        runRaw();
      } else {
        runRaw();
        await runEngine();
      }
    }
    const eMed: Sample = { wallMs: median(e.map((s) => s.wallMs)), cpuMs: median(e.map((s) => s.cpuMs)) };
    const rMed: Sample = { wallMs: median(r.map((s) => s.wallMs)), cpuMs: median(r.map((s) => s.cpuMs)) };
    engineTimes.push(eMed);
    rawTimes.push(rMed);
    rows.push([
      projectRelative(project, edit.file),
      edit.kind,
      String(engineReports.get(edit.file)?.length ?? 0),
      ms(eMed.wallMs),
      ms(rMed.wallMs),
      (eMed.wallMs / rMed.wallMs).toFixed(2),
    ]);
  }
  console.log('');
  console.log(table(['edited file', 'edit', 'diags', '(b) engine', '(c) bare LS', 'b/c'], rows));

  // Parity: tsc on a temp copy with every edit written (edits stay inside function bodies, so each
  // file's diagnostics do not depend on the others').
  const copy = editedCopy(project, new Map(edits.map((e) => [e.file, e.apply(0)])));
  let parity: { equal: number; rawEqual: number; mismatches: string[] };
  try {
    const tscEdited = await runTsc(copy);
    const byFile = new Map<string, TscDiagnostic[]>();
    for (const d of tscEdited.diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
    parity = { equal: 0, rawEqual: 0, mismatches: [] };
    for (const edit of edits) {
      const rel = projectRelative(project, edit.file);
      const expected = (byFile.get(rel) ?? []).map(key).join('\n');
      const engine = (engineReports.get(edit.file) ?? []).join('\n');
      if (engine === expected) parity.equal++;
      else
        parity.mismatches.push(
          `${rel}\n    tsc:    ${expected || '(none)'}\n    engine: ${engine || '(none)'}`,
        );
      if ((rawReports.get(edit.file) ?? []).join('\n') === expected) parity.rawEqual++;
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }

  const tscWall = median(tscRuns.map((r) => r.wallMs));
  const tscCpu = median(tscRuns.map((r) => r.cpuMs));
  const stat = (xs: Sample[], p: number, f: 'wallMs' | 'cpuMs') =>
    percentile(
      xs.map((s) => s[f]),
      p,
    );
  const summary = (['wallMs', 'cpuMs'] as const).flatMap((f) => {
    const label = f === 'wallMs' ? 'wall' : 'CPU';
    const a = f === 'wallMs' ? tscWall : tscCpu;
    return [50, 90].map((p) => {
      const b = stat(engineTimes, p, f);
      const c = stat(rawTimes, p, f);
      return [`${label} p${p}`, ms(a), ms(b), ms(c), `${(b / c).toFixed(2)}×`, `${(a / b).toFixed(0)}×`];
    });
  });
  console.log('');
  console.log(
    `${edits.length} edits in ${edits.length} files, ${REPEATS} checks each (median per edit); tsc: median of ${TSC_RUNS} runs`,
  );
  console.log(table(['', '(a) tsc -p', '(b) engine', '(c) bare LS', 'b / c', 'a / b'], summary));
  console.log('');
  console.log(
    `diagnostics equal to tsc's (code, line, column, message): engine ${parity.equal}/${edits.length}, bare LS ${parity.rawEqual}/${edits.length}`,
  );
  for (const m of parity.mismatches) console.log(`  MISMATCH ${m}`);

  const b50 = stat(engineTimes, 50, 'wallMs');
  const c50 = stat(rawTimes, 50, 'wallMs');
  const b90 = stat(engineTimes, 90, 'wallMs');
  const c90 = stat(rawTimes, 90, 'wallMs');
  const checks: [string, boolean][] = [
    [
      `(b) within ${TARGET_VS_RAW}× of (c), wall p50 and p90: ${(b50 / c50).toFixed(2)}×, ${(b90 / c90).toFixed(2)}×`,
      b50 <= TARGET_VS_RAW * c50 && b90 <= TARGET_VS_RAW * c90,
    ],
    [
      `(b) at least ${TARGET_VS_TSC}× faster than (a), wall p50: ${(tscWall / b50).toFixed(0)}×`,
      tscWall >= TARGET_VS_TSC * b50,
    ],
    [
      `diagnostics equal to tsc's for every edited file: ${parity.equal}/${edits.length}`,
      parity.equal === edits.length,
    ],
  ];
  console.log('');
  for (const [label, ok] of checks) console.log(`${ok ? 'MET   ' : 'MISSED'} ${label}`);
  console.log(`(run took ${ms(performance.now() - started)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
