// `npm run bench:soak`: 200 consecutive runs in one agent host (`node dist/agent.js --stdio`),
// most with provider none and every fourth through the scripted model server, sampling the
// host's RSS after each run; then the warm TypeScript registry's bound with more projects than it
// keeps. Prints the figures docs/reliability.md quotes, and exits 1 when a bound is broken.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Engine } from '../../src/agent/engine/engine';
import { DEFAULT_MAX_PROJECTS } from '../../src/agent/validators/typescript/tsProjectRegistry';
import { RunParams } from '../../src/protocol/agentProtocol';
import type { Proposal } from '../../src/protocol/proposal';
import { copyFixture } from '../../test/support/fixtures';
import { startScriptedModelServer, toolCallStep } from '../../test/support/scriptedModelServer';
import { assertNoOrphans, startAgentHost } from '../../test/unit/trust/agentHost';
import { leastSquaresSlope, rssKb } from './soakStats';

/**
 * Heap growth (after a full GC) above this over the second half counts as a leak. The host
 * collects garbage when no run is in flight (src/agent/host/idleCollector.ts), so its RSS over
 * the second half must be flat too, and never above MAX_RSS_KB.
 */
const MAX_HEAP_SLOPE_KB_PER_RUN = 50;
const MAX_RSS_SLOPE_KB_PER_RUN = 100;
const MAX_RSS_KB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    projects: { type: 'string', default: String(DEFAULT_MAX_PROJECTS + 4) },
    json: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const PROJECTS = Number(values.projects);

const FIX_LABEL = toolCallStep({
  name: 'patch_file',
  arguments: { old_string: '  return count;', new_string: '  return String(count);' },
});

const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

async function soak(): Promise<{
  runs: number;
  modelRuns: number;
  rssStartKb: number;
  rssEndKb: number;
  rssPeakKb: number;
  slopeKbPerRun: number;
  seconds: number;
  hostProjectsRssKb: number;
}> {
  const server = await startScriptedModelServer();
  const dir = copyFixture('ts-basic');
  const host = startAgentHost();
  const pid = host.child.pid;
  assert.ok(pid !== undefined);
  const files = ['src/missingImport.ts', 'src/counter.ts', 'src/spelling.ts'];
  const samples: number[] = [];
  let modelRuns = 0;
  const t0 = Date.now();
  try {
    await host.connection.sendRequest('agent/initialize', { clientName: 'bench:soak' });
    for (let i = 0; i < RUNS; i++) {
      const withModel = i % 4 === 3;
      if (withModel) server.script([FIX_LABEL]);
      const p = await host.connection.sendRequest<Proposal>('agent/run', {
        runId: `soak-${i}`,
        goal: 'repair',
        file: join(dir, withModel ? 'src/typeError.ts' : (files[i % files.length] ?? files[0]!)),
        target: withModel ? { kind: 'symbol', name: 'label' } : { kind: 'file' },
        workspaceRoot: dir,
        settings: withModel
          ? { provider: 'openai-compatible', model: 'scripted-model', baseUrl: server.openaiBaseUrl }
          : { provider: 'none' },
      });
      if (p.verdict !== 'validated') throw new Error(`run ${i}: ${p.verdict}: ${p.runLog.message}`);
      if (withModel) modelRuns++;
      samples.push(await rssKb(pid));
      if ((i + 1) % 50 === 0) process.stderr.write(`  ${i + 1}/${RUNS} runs, RSS ${mb(samples.at(-1)!)}\n`);
    }
    const seconds = (Date.now() - t0) / 1000;
    // The same host opens more projects than the registry keeps warm.
    for (let k = 0; k < PROJECTS; k++) {
      const project = mkdtempSync(join(tmpdir(), `anneal-soak-project-${k}-`));
      cpSync(resolve('test/fixtures/ts-basic'), project, { recursive: true });
      await host.connection.sendRequest('agent/check', {
        files: [join(project, 'src/clean.ts')],
        workspaceRoot: project,
      });
    }
    const hostProjectsRssKb = await rssKb(pid);
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    return {
      runs: RUNS,
      modelRuns,
      rssStartKb: samples[0] ?? 0,
      rssEndKb: samples.at(-1) ?? 0,
      rssPeakKb: Math.max(...samples),
      slopeKbPerRun: leastSquaresSlope(secondHalf),
      seconds,
      hostProjectsRssKb,
    };
  } finally {
    await host.stop();
    await server.close();
    await assertNoOrphans(host.marker);
  }
}

/** The same workload in this process, with a full GC after each run: heap growth means a leak. */
async function heapSoak(): Promise<{ heapStartKb: number; heapEndKb: number; heapSlopeKbPerRun: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const engine = new Engine();
  const dir = copyFixture('ts-basic');
  const files = ['src/missingImport.ts', 'src/counter.ts', 'src/spelling.ts'];
  const heap: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      await engine.run(
        RunParams.parse({
          runId: `heap-${i}`,
          goal: 'repair',
          file: join(dir, files[i % files.length] ?? files[0]!),
          target: { kind: 'file' },
          workspaceRoot: dir,
          settings: { provider: 'none' },
        }),
      );
      gc();
      heap.push(process.memoryUsage().heapUsed / 1024);
    }
  } finally {
    engine.dispose();
  }
  return {
    heapStartKb: heap[0] ?? 0,
    heapEndKb: heap.at(-1) ?? 0,
    heapSlopeKbPerRun: leastSquaresSlope(heap.slice(Math.floor(heap.length / 2))),
  };
}

/** Opens more projects than the registry keeps, in process, and watches its size. */
async function registryBound(): Promise<{ opened: number; maxProjects: number; maxSize: number }> {
  const engine = new Engine();
  let maxSize = 0;
  try {
    for (let k = 0; k < PROJECTS; k++) {
      const project = copyFixture('ts-basic');
      // A distinct project each time: its own tsconfig.json.
      const config = join(project, 'tsconfig.json');
      writeFileSync(config, readFileSync(config, 'utf8'));
      await engine.check({ files: [join(project, 'src/clean.ts')], workspaceRoot: project });
      maxSize = Math.max(maxSize, engine.tsRegistry.size);
    }
    return { opened: PROJECTS, maxProjects: engine.tsRegistry.maxProjects, maxSize };
  } finally {
    engine.dispose();
  }
}

async function main(): Promise<void> {
  process.stderr.write(`bench:soak: ${RUNS} runs in one agent host, then ${PROJECTS} projects\n`);
  const s = await soak();
  const h = await heapSoak();
  const r = await registryBound();
  const lines = [
    `runs                 ${s.runs} (${s.modelRuns} through the scripted model server) in ${s.seconds.toFixed(1)} s`,
    `RSS start / end      ${mb(s.rssStartKb)} / ${mb(s.rssEndKb)} (peak ${mb(s.rssPeakKb)})`,
    `RSS slope            ${s.slopeKbPerRun.toFixed(1)} KB/run over runs ${Math.floor(s.runs / 2) + 1}-${s.runs} (bounds ${MAX_RSS_SLOPE_KB_PER_RUN} KB/run, ${mb(MAX_RSS_KB)})`,
    `heap after GC        ${mb(h.heapStartKb)} / ${mb(h.heapEndKb)}, slope ${h.heapSlopeKbPerRun.toFixed(1)} KB/run over the second half (bound ${MAX_HEAP_SLOPE_KB_PER_RUN}; same runs in process)`,
    `host after projects  ${mb(s.hostProjectsRssKb)} after ${PROJECTS} more projects`,
    `registry             ${r.maxSize} warm projects at most, bound ${r.maxProjects}, ${r.opened} opened`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json)
    writeFileSync(values.json, `${JSON.stringify({ soak: s, heap: h, registry: r }, null, 2)}\n`);
  const ok =
    h.heapSlopeKbPerRun <= MAX_HEAP_SLOPE_KB_PER_RUN &&
    s.slopeKbPerRun <= MAX_RSS_SLOPE_KB_PER_RUN &&
    s.rssPeakKb <= MAX_RSS_KB &&
    s.hostProjectsRssKb <= MAX_RSS_KB &&
    r.maxSize <= r.maxProjects;
  if (!ok) process.stdout.write('FAILED: a bound was broken\n');
  process.exitCode = ok ? 0 : 1;
}

void main().catch((e: unknown) => {
  process.stderr.write(`bench:soak failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
