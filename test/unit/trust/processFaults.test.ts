// Process faults at the agent-host level: the built host (`node dist/agent.js --stdio`) is
// killed before, during and after runs, runs overlap, and a test command hangs with children.
// Every row checks that the user's files are byte-identical and that no process survives.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { RunParams as RunParamsInput } from '../../../src/protocol/agentProtocol';
import type { Proposal } from '../../../src/protocol/proposal';
import { TestsValidator } from '../../../src/agent/validators/tests/testsValidator';
import { copyFixture, treeHash } from '../../support/fixtures';
import {
  replyStep,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../../support/scriptedModelServer';
import {
  assertNoOrphans,
  commandLine,
  MARKER_VAR,
  processesWithMarker,
  rejection,
  startAgentHost,
  waitUntil,
  type AgentHost,
} from './agentHost';

function runParams(over: Partial<RunParamsInput> & { file: string; workspaceRoot: string }): RunParamsInput {
  return {
    runId: `run-${Math.random().toString(36).slice(2)}`,
    goal: 'repair',
    target: { kind: 'file' },
    settings: { provider: 'none' },
    ...over,
  };
}

/** Kills the host with SIGKILL and waits for the exit; a killed host cannot clean up anything. */
async function killHard(host: AgentHost): Promise<void> {
  host.child.kill('SIGKILL');
  const exit = await host.exited;
  assert.equal(exit.signal, 'SIGKILL');
  // What a client does when its server is gone: drop the connection, failing what is pending.
  host.connection.dispose();
}

describe('trust matrix: process faults (agent host)', function () {
  this.timeout(120_000);
  let server: ScriptedModelServer;
  let hosts: AgentHost[] = [];
  const start = (env: NodeJS.ProcessEnv = {}): AgentHost => {
    const h = startAgentHost(env);
    hosts.push(h);
    return h;
  };

  before(async () => {
    server = await startScriptedModelServer();
  });
  after(() => server.close());
  afterEach(async () => {
    for (const h of hosts) await h.stop();
    hosts = [];
    server.script([]);
  });

  it('host SIGKILLed before a run: the request fails at once, files intact, no orphan', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const host = start();
    await host.connection.sendRequest('agent/initialize', { clientName: 'trust' });
    await killHard(host);
    const failed = await rejection(() =>
      host.connection.sendRequest(
        'agent/run',
        runParams({ file: join(dir, 'src/counter.ts'), workspaceRoot: dir }),
      ),
    );
    assert.match(failed.message, /disposed|closed/i);
    assert.deepEqual(treeHash(dir), before);
    await assertNoOrphans(host.marker);
  });

  it('host SIGKILLed during a model call: the pending run fails, files intact, no orphan', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    server.script([{ ...replyStep('late'), delayMs: 60_000 }]);
    const first = server.requests.length;
    const host = start();
    const run = host.connection.sendRequest(
      'agent/run',
      runParams({
        file: join(dir, 'src/typeError.ts'),
        workspaceRoot: dir,
        target: { kind: 'symbol', name: 'label' },
        settings: {
          provider: 'openai-compatible',
          model: 'scripted-model',
          baseUrl: server.openaiBaseUrl,
        },
      }),
    );
    const outcome = rejection(run);
    assert.ok(await waitUntil(() => server.requests.length > first, 30_000), 'the model was never called');
    await killHard(host);
    const failed = await outcome;
    assert.match(failed.message, /disposed|closed/i);
    assert.deepEqual(treeHash(dir), before);
    await assertNoOrphans(host.marker);
  });

  it('host SIGKILLed while pytest runs (with a child of its own): the whole tree dies, files intact', async () => {
    const dir = copyFixture('trust-py-hang');
    const before = treeHash(dir);
    const host = start();
    const outcome = rejection(
      host.connection.sendRequest(
        'agent/run',
        runParams({ file: join(dir, 'calc.py'), workspaceRoot: dir, settings: { provider: 'none' } }),
      ),
    );
    // Wait for the test's own child (sleep 271): pytest is running and has forked.
    const sleeping = () =>
      processesWithMarker(host.marker).some((pid) => commandLine(pid).startsWith('sleep 271'));
    assert.ok(await waitUntil(sleeping, 60_000), 'pytest never started its child');
    await killHard(host);
    await outcome;
    assert.deepEqual(treeHash(dir), before);
    await assertNoOrphans(host.marker);
  });

  it('host SIGKILLed after a run: the proposal was never applied, files intact, no orphan', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const host = start();
    const proposal = await host.connection.sendRequest<Proposal>(
      'agent/run',
      runParams({ file: join(dir, 'src/counter.ts'), workspaceRoot: dir }),
    );
    assert.equal(proposal.verdict, 'validated');
    assert.notEqual(proposal.newText, proposal.baseText);
    await killHard(host);
    assert.deepEqual(treeHash(dir), before);
    await assertNoOrphans(host.marker);
  });

  it('two runs on the same file at once give the same proposal, based on the same text', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const host = start();
    const file = join(dir, 'src/missingImport.ts');
    const [a, b] = await Promise.all(
      [0, 1].map((i) =>
        host.connection.sendRequest<Proposal>(
          'agent/run',
          runParams({ runId: `same-${i}`, file, workspaceRoot: dir }),
        ),
      ),
    );
    assert.ok(a && b);
    assert.equal(a.verdict, 'validated');
    assert.equal(b.verdict, 'validated');
    assert.equal(a.baseHash, b.baseHash);
    assert.equal(a.newText, b.newText);
    assert.notEqual(a.id, b.id);
    assert.equal(a.runLog.runId, 'same-0');
    assert.equal(b.runLog.runId, 'same-1');
    assert.deepEqual(treeHash(dir), before);
  });

  it('ten runs on different files at once: each proposal fixes its own file only (no cross-talk)', async () => {
    const dir = copyFixture('trust-many');
    const before = treeHash(dir);
    const host = start();
    const proposals = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        host.connection.sendRequest<Proposal>(
          'agent/run',
          runParams({ runId: `many-${i}`, file: join(dir, `src/f${i}.ts`), workspaceRoot: dir }),
        ),
      ),
    );
    proposals.forEach((p, i) => {
      assert.equal(p.file, join(dir, `src/f${i}.ts`));
      assert.equal(p.verdict, 'validated', `f${i}: ${p.runLog.message}`);
      assert.equal(p.runLog.runId, `many-${i}`);
      assert.ok(p.baseText.includes(`use${i}`));
      assert.match(p.newText, new RegExp(`^import \\{ fn${i} \\} from "\\./lib\\.js";\\n`));
      // Nothing of another file's run leaks into this proposal.
      const others = p.newText.match(/\bfn\d\b/g) ?? [];
      assert.deepEqual([...new Set(others)], [`fn${i}`]);
    });
    // Every run's notifications carry its own runId, and each run reported its steps.
    const stepRuns = new Set(
      host.notifications
        .filter((n) => n.method === 'run/didStep')
        .map((n) => (n.params as { runId: string }).runId),
    );
    for (let i = 0; i < 10; i++) assert.ok(stepRuns.has(`many-${i}`));
    assert.deepEqual(treeHash(dir), before);
  });

  it('a test command that hangs and forks children is killed with its process group at the timeout', async () => {
    const dir = copyFixture('ts-basic');
    const before = treeHash(dir);
    const marker = `tests-${process.pid}-${Date.now()}`;
    // The command (marked on its command line) marks its children through the environment, forks
    // a child and a grandchild, then waits forever.
    const script =
      `process.env.${MARKER_VAR}=process.argv[1];` +
      "const {spawn}=require('node:child_process');" +
      "spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});" +
      "spawn('sh',['-c','sleep 283 & wait'],{stdio:'ignore'});" +
      'setInterval(()=>{},1000);';
    const validator = new TestsValidator({
      projectDir: dir,
      testCommand: `node -e "${script}" ${marker}`,
      timeoutMs: 1500,
      trusted: true,
    });
    const t0 = Date.now();
    const started = validator.validate({
      file: join(dir, 'src/clean.ts'),
      text: 'export const x = 1;\n',
      projectDir: dir,
    });
    assert.ok(
      await waitUntil(() => processesWithMarker(marker).length >= 4, 20_000),
      'the test command never forked',
    );
    const reports = await started;
    assert.ok(Date.now() - t0 < 20_000);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.code, 'timeout');
    assert.match(reports[0]!.message, /took longer than 1\.5 s and were stopped/);
    await assertNoOrphans(marker, 3000);
    assert.deepEqual(treeHash(dir), before);
  });

  it('rejects a run whose params do not match the protocol schema, and keeps serving', async () => {
    const host = start();
    const bad = await rejection(host.connection.sendRequest('agent/run', { goal: 'delete-everything' }));
    assert.equal(bad.code, -32602);
    assert.equal(bad.reason, 'badInput');
    const ok = await host.connection.sendRequest<{ pid: number }>('agent/initialize', { clientName: 'x' });
    assert.equal(ok.pid, host.child.pid);
  });
});
