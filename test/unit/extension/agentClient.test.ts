// The extension's side of the agent host, on plain Node: forks the built dist/agent.js over IPC.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { AgentClient, type LogLevel } from '../../../src/extension/agentHost/agentClient';
import { AnnealClientError } from '../../../src/extension/agentHost/annealClientError';
import { RestartPolicy } from '../../../src/extension/agentHost/restartPolicy';
import {
  CheckRequest,
  CheckResult,
  FindSymbolRequest,
  FindSymbolResult,
  RunRequest,
} from '../../../src/protocol/agentProtocol';
import { Proposal } from '../../../src/protocol/proposal';

const AGENT = resolve('dist/agent.js');
const FIXTURE = resolve('test/fixtures/ts-basic/src/missingImport.ts');
const symbolParams = { file: '/tmp/x.ts', text: 'function f() {\n  return 1;\n}\n', line: 1, character: 2 };

function makeClient(policy = new RestartPolicy()) {
  const logs: [LogLevel, string][] = [];
  const gaveUp: string[] = [];
  const client = new AgentClient({
    agentPath: AGENT,
    clientName: 'unit-test',
    log: (level, message) => logs.push([level, message]),
    onGaveUp: (m) => gaveUp.push(m),
    policy,
  });
  return { client, logs, gaveUp };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const findSymbol = (client: AgentClient) =>
  client.request(FindSymbolRequest, symbolParams, { timeoutMs: 30_000, result: FindSymbolResult });

describe('AgentClient (forked agent host over IPC)', function () {
  this.timeout(120_000);
  const clients: AgentClient[] = [];
  before(() => assert.ok(existsSync(AGENT), `${AGENT} is missing: run \`npm run build\` first`));
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
  });

  it('starts the host on the first request, not before, and keeps it warm', async () => {
    const { client, logs } = makeClient();
    clients.push(client);
    assert.equal(client.pid, undefined);
    const result = await findSymbol(client);
    assert.deepEqual(result.symbol, { name: 'f', startLine: 0, endLine: 2, isStub: false });
    const pid = client.pid;
    assert.ok(pid && isAlive(pid));
    await findSymbol(client);
    assert.equal(client.pid, pid, 'the same process answers again');
    assert.ok(logs.some(([, m]) => /agent host .* started \(pid \d+\)/.test(m)));
  });

  it('shuts the host down on dispose', async () => {
    const { client } = makeClient();
    await findSymbol(client);
    const pid = client.pid!;
    await client.dispose();
    await waitFor(() => !isAlive(pid));
  });

  it('fails the request in flight with a clear message when the host dies, and restarts on the next', async () => {
    const { client } = makeClient();
    clients.push(client);
    await findSymbol(client);
    const pid = client.pid!;
    const inFlight = client.request(
      CheckRequest,
      { files: [FIXTURE] },
      { timeoutMs: 60_000, result: CheckResult },
    );
    process.kill(pid, 'SIGKILL');
    await assert.rejects(inFlight, (e: unknown) => {
      assert.ok(AnnealClientError.is(e, 'agentCrashed'));
      assert.match(e.message, /stopped unexpectedly .*nothing was changed/i);
      return true;
    });
    const again = await findSymbol(client);
    assert.equal(again.symbol?.name, 'f');
    assert.notEqual(client.pid, pid);
  });

  it('stops restarting after the budget is spent and says so once', async () => {
    const { client, gaveUp } = makeClient(new RestartPolicy(1, 60_000));
    clients.push(client);
    for (let i = 0; i < 2; i++) {
      await findSymbol(client);
      const pid = client.pid!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => client.pid === undefined);
    }
    await assert.rejects(findSymbol(client), (e: unknown) => AnnealClientError.is(e, 'agentCrashed'));
    await assert.rejects(findSymbol(client), (e: unknown) => AnnealClientError.is(e, 'agentCrashed'));
    assert.equal(gaveUp.length, 1);
  });

  it('treats a host that does not answer in time as hung and restarts it', async () => {
    const { client } = makeClient();
    clients.push(client);
    await findSymbol(client);
    const pid = client.pid!;
    await assert.rejects(
      client.request(CheckRequest, { files: [FIXTURE] }, { timeoutMs: 5, result: CheckResult }),
      (e: unknown) => AnnealClientError.is(e, 'timeout'),
    );
    await waitFor(() => !isAlive(pid));
    assert.equal((await findSymbol(client)).symbol?.name, 'f');
  });

  it('sends $/cancelRequest on cancel and fails the run as cancelled', async () => {
    const { client } = makeClient();
    clients.push(client);
    const source = new CancellationTokenSource();
    const run = client.request(
      RunRequest,
      {
        runId: 'cancel-1',
        goal: 'repair',
        file: FIXTURE,
        target: { kind: 'file' },
        settings: { provider: 'none' },
      },
      { token: source.token, timeoutMs: 60_000, result: Proposal },
    );
    await waitFor(() => client.pid !== undefined);
    source.cancel();
    await assert.rejects(run, (e: unknown) => AnnealClientError.is(e, 'cancelled'));
    // The host survives a cancel.
    assert.equal((await findSymbol(client)).symbol?.name, 'f');
  });

  it('returns the agent reason of a failed request', async () => {
    const { client } = makeClient();
    clients.push(client);
    await assert.rejects(
      client.request(
        RunRequest,
        { runId: 'bad', goal: 'repair', file: '', target: { kind: 'file' } },
        { timeoutMs: 30_000, result: Proposal },
      ),
      (e: unknown) => AnnealClientError.is(e, 'badInput'),
    );
  });
});
