// Drives `node dist/agent.js --stdio` the way docs/protocol.md tells another client to: framed
// JSON-RPC on stdin/stdout, nothing else. Needs a build (`npm test` builds before the unit tests).
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const AGENT = resolve('dist/agent.js');
const FIXTURE = resolve('test/fixtures/ts-basic/src/missingImport.ts');

interface Message {
  jsonrpc: '2.0';
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string; data?: { reason: string; hint?: string } };
}

/** A client written from docs/protocol.md alone: Content-Length framing, ids, notifications. */
class StdioClient {
  readonly notifications: Message[] = [];
  private readonly waiting = new Map<number, (m: Message) => void>();
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
  }

  request(method: string, params?: unknown): Promise<Message> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.waiting.set(id, done);
      this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      // Every byte on stdout belongs to a framed message: a stray write would fail here.
      const match = /^Content-Length: (\d+)$/im.exec(header);
      assert.ok(match, `unexpected bytes on stdout: ${JSON.stringify(header.slice(0, 200))}`);
      const length = Number(match[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(
        this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'),
      ) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && message.method === undefined) this.waiting.get(message.id)?.(message);
      else this.notifications.push(message);
    }
  }
}

describe('agent host over --stdio (docs/protocol.md)', function () {
  this.timeout(120_000);
  let client: StdioClient;

  before(function () {
    assert.ok(existsSync(AGENT), `${AGENT} is missing: run \`npm run build\` first`);
    client = new StdioClient(
      spawn(process.execPath, [AGENT, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
  });

  after(() => {
    if (client.child.exitCode === null) client.child.kill();
  });

  it('answers agent/initialize with its version and pid', async () => {
    const answer = await client.request('agent/initialize', { clientName: 'stdio-test' });
    const result = answer.result as { version: string; pid: number };
    assert.equal(typeof result.version, 'string');
    assert.equal(result.pid, client.child.pid);
  });

  it('agent/check reports the missing imports of the fixture', async () => {
    const answer = await client.request('agent/check', { files: [FIXTURE] });
    const result = answer.result as {
      files: { file: string; reports: { code: string; line: number; category: string }[] }[];
    };
    assert.equal(result.files.length, 1);
    assert.equal(result.files[0]?.file, FIXTURE);
    const codes = result.files[0]?.reports.map((r) => `${r.code}@${r.line}`);
    assert.deepEqual(codes, ['TS2304@1', 'TS2304@5']);
  });

  it('agent/run with provider none returns a validated proposal and streams its plan', async () => {
    const answer = await client.request('agent/run', {
      runId: 'stdio-run-1',
      goal: 'repair',
      file: FIXTURE,
      target: { kind: 'file' },
      settings: { provider: 'none' },
    });
    assert.equal(answer.error, undefined, JSON.stringify(answer.error));
    const proposal = answer.result as {
      file: string;
      baseText: string;
      baseHash: string;
      newText: string;
      verdict: string;
      reports: unknown[];
    };
    assert.equal(proposal.file, FIXTURE);
    assert.equal(proposal.verdict, 'validated');
    assert.deepEqual(proposal.reports, []);
    assert.equal(proposal.baseText, readFileSync(FIXTURE, 'utf8'));
    assert.equal(proposal.baseHash, createHash('sha256').update(proposal.baseText, 'utf8').digest('hex'));
    assert.match(proposal.newText, /import \{[^}]*\badd\b[^}]*\} from '\.\/math\.js'/);
    const steps = client.notifications.filter(
      (n) => n.method === 'run/didStep' && n.params?.runId === 'stdio-run-1',
    );
    const logs = client.notifications.filter(
      (n) => n.method === 'run/didUpdateLog' && n.params?.runId === 'stdio-run-1',
    );
    assert.ok(steps.length >= 2, 'expected run/didStep notifications');
    assert.ok(logs.length >= 1, 'expected run/didUpdateLog notifications');
  });

  it('agent/run works on the text it is given, not the file on disk', async () => {
    const text =
      'export function total(values: number[]): number {\n  return values.reduce((sum, v) => add(sum, v), 0);\n}\n';
    const answer = await client.request('agent/run', {
      runId: 'stdio-run-2',
      goal: 'repair',
      file: FIXTURE,
      text,
      target: { kind: 'symbol', name: 'total' },
      settings: { provider: 'none' },
    });
    const proposal = answer.result as { baseText: string; newText: string; verdict: string };
    assert.equal(proposal.baseText, text);
    assert.doesNotMatch(proposal.newText, /bounded/);
    assert.equal(proposal.verdict, 'validated');
  });

  it('rejects invalid params with -32602 and reason badInput', async () => {
    const answer = await client.request('agent/run', { runId: '', goal: 'tidy', file: FIXTURE });
    assert.equal(answer.error?.code, -32602);
    assert.equal(answer.error?.data?.reason, 'badInput');
    assert.match(answer.error?.data?.hint ?? '', /goal/);
  });

  it('answers an unknown method with -32601', async () => {
    const answer = await client.request('agent/nothing', {});
    assert.equal(answer.error?.code, -32601);
  });

  it('agent/shutdown answers null and the process exits with code 0', async () => {
    const answer = await client.request('agent/shutdown');
    assert.equal(answer.result, null);
    assert.equal(await client.exited, 0);
  });
});
