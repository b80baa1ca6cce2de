/**
 * npm run bench:tokens — input tokens Anneal sends for a function repair, against a whole-file
 * prompt built in the same run, on real files of 200–2000 lines (the bench code base, fetched from
 * the npm registry). Counted with a real tokenizer (gpt-tokenizer, o200k). The engine runs for
 * real, against the scripted model server, which records exactly what was sent.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { Engine } from '../../src/agent/engine/engine';
import { createModelStage } from '../../src/agent/engine/modelStage';
import { tsFunctions } from '../../src/agent/engine/tsSymbols';
import { SYSTEM_PROMPT, repairPrompt } from '../../src/agent/engine/prompts';
import { EDIT_TOOLS } from '../../src/agent/edits/editTools';
import { RunParams } from '../../src/protocol/agentProtocol';
import { startScriptedModelServer, replyStep } from '../../test/support/scriptedModelServer';
import { prepareBenchProject } from '../support/benchProject';
import { describeMachine } from '../support/machine';
import { mulberry32 } from '../support/random';

const PROBE = 'const __annealProbe: number = "not a number";';

interface Row {
  file: string;
  lines: number;
  fn: string;
  anneal: number;
  whole: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Tokens of a request as the model receives it: system, messages and tool schemas. */
function requestTokens(system: string, userText: string): number {
  return countTokens(system) + countTokens(userText) + countTokens(JSON.stringify(EDIT_TOOLS));
}

async function main(): Promise<void> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const project = prepareBenchProject(log);
  // Work in a copy: the engine writes nothing, but the probe edit is written to the copy so the
  // run starts from a file on disk, as a user's would.
  const work = mkdtempSync(join(tmpdir(), 'anneal-bench-tokens-'));
  cpSync(project.dir, work, {
    recursive: true,
    dereference: false,
    filter: (src) => !src.includes('/node_modules/.cache'),
  });
  // The package's own sources, plus the TypeScript sources its ProseMirror dependencies ship.
  const pmRoot = join(project.dir, 'node_modules');
  const pmSources = readdirSync(pmRoot)
    .filter((d) => d.startsWith('prosemirror-') && existsSync(join(pmRoot, d, 'src')))
    .flatMap((d) =>
      readdirSync(join(pmRoot, d, 'src'))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => join(pmRoot, d, 'src', f)),
    );
  const candidates = [...project.sources, ...pmSources]
    .map((f) => join(work, relative(project.dir, f)))
    .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
    .filter((x) => x.lines >= 200 && x.lines <= 2000)
    .sort((a, b) => a.lines - b.lines);

  const server = await startScriptedModelServer();
  server.fallback(() => replyStep(''));
  const engine = new Engine({ modelStage: createModelStage({ env: {} }) });
  const rows: Row[] = [];
  const rand = mulberry32(20261124);
  try {
    for (const { f, lines } of candidates) {
      const original = readFileSync(f, 'utf8');
      // Two functions per file, drawn with a fixed seed among those of 5–80 lines.
      const pool = tsFunctions(f, original).filter(
        (fn) =>
          fn.bodyStart !== undefined && fn.endLine - fn.startLine >= 4 && fn.endLine - fn.startLine <= 80,
      );
      const fns: typeof pool = [];
      while (pool.length > 0 && fns.length < 2)
        fns.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
      for (const fn of fns) {
        const open = original.indexOf('{', fn.bodyStart!);
        const mutated = `${original.slice(0, open + 1)}\n    ${PROBE}${original.slice(open + 1)}`;
        writeFileSync(f, mutated);
        const first = server.requests.length;
        const proposal = await engine.run(
          RunParams.parse({
            runId: `tokens-${rows.length}`,
            goal: 'repair',
            file: f,
            target: { kind: 'symbol', name: fn.qualifiedName },
            projectDir: work,
            workspaceRoot: work,
            settings: {
              provider: 'openai-compatible',
              model: 'scripted-model',
              baseUrl: server.openaiBaseUrl,
              maxAttempts: 1,
            },
          }),
        );
        writeFileSync(f, original);
        const req = server.requests[first];
        if (!req) {
          log(`  ${relative(work, f)} ${fn.qualifiedName}: no model request (${proposal.runLog.message})`);
          continue;
        }
        const user =
          (req.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')
            ?.content ?? '';
        const anneal = requestTokens(SYSTEM_PROMPT, user);
        const wholeUser = repairPrompt({
          relPath: relative(work, f),
          file: f,
          targetLabel: `function ${fn.qualifiedName}`,
          reports: proposal.runLog.reportsBefore,
          text: mutated,
          ctx: {
            segments: [{ startLine: 0, endLine: mutated.split('\n').length - 1, text: mutated }],
            excerpted: false,
            declarations: [],
            tokens: 0,
          },
        });
        const whole = requestTokens(SYSTEM_PROMPT, wholeUser);
        rows.push({ file: relative(work, f), lines, fn: fn.qualifiedName, anneal, whole });
        log(
          `  ${relative(work, f)} (${lines} lines) ${fn.qualifiedName}: ${anneal} vs ${whole} tokens (${((anneal / whole) * 100).toFixed(0)}%)`,
        );
      }
    }
  } finally {
    engine.dispose();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }

  const out: string[] = [];
  out.push(`bench:tokens — ${project.label}, ${describeMachine()}`);
  out.push(
    "Input tokens per function repair (o200k tokenizer): Anneal's prompt vs a whole-file prompt built in the same run. Two functions of 5–80 lines per file, drawn with a fixed seed.",
  );
  out.push('');
  out.push('| file size | repairs | Anneal (median) | whole file (median) | ratio median | ratio max |');
  out.push('|---|---|---|---|---|---|');
  const buckets: [string, (l: number) => boolean][] = [
    ['200–500 lines', (l) => l < 500],
    ['500–1000 lines', (l) => l >= 500 && l < 1000],
    ['1000–2000 lines', (l) => l >= 1000],
  ];
  for (const [label, inBucket] of buckets) {
    const rs = rows.filter((r) => inBucket(r.lines));
    if (rs.length === 0) continue;
    const ratios = rs.map((r) => r.anneal / r.whole);
    out.push(
      `| ${label} | ${rs.length} | ${median(rs.map((r) => r.anneal))} | ${median(rs.map((r) => r.whole))} | ${(median(ratios) * 100).toFixed(0)}% | ${(Math.max(...ratios) * 100).toFixed(0)}% |`,
    );
  }
  const big = rows.filter((r) => r.lines > 500).map((r) => r.anneal / r.whole);
  const worst = big.length ? Math.max(...big) : 0;
  out.push('');
  out.push(
    big.length === 0
      ? 'No file over 500 lines in the corpus: target not checked.'
      : `Target ≤ 25% of the whole-file prompt for files over 500 lines: median ${(median(big) * 100).toFixed(0)}%, worst ${(worst * 100).toFixed(0)}% — ${median(big) <= 0.25 ? 'MET (median)' : 'MISSED (median)'}${worst <= 0.25 ? ', every case within target' : ''}.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
