import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../support/scriptedModelServer';
import {
  agentHostPids,
  closeAllEditors,
  configure,
  MessageRecorder,
  processState,
  proposalTabFor,
  proposalText,
  rejectAllProposals,
  runAt,
  waitFor,
  waitForProposal,
  writeFile,
} from './hostHarness';

// The agent host is a child process of the extension host: kill it mid-run, or freeze it, and
// the user gets a clear message, an untouched file, and a working next command.

const typeError = 'export function label(count: number): string {\n  return count;\n}\n';
const fix = toolCallStep({
  name: 'patch_file',
  arguments: { old_string: '  return count;', new_string: '  return String(count);' },
});

describe('agent host faults (extension host)', function () {
  this.timeout(150_000);
  let server: ScriptedModelServer;
  let messages: MessageRecorder;
  let n = 0;
  const fresh = () => `src/hostFault${++n}.ts`;

  before(async () => {
    server = await startScriptedModelServer();
    await vscode.extensions.getExtension('anneal-dev.anneal')?.activate();
  });

  beforeEach(async () => {
    messages = new MessageRecorder();
    await configure({
      provider: 'openai-compatible',
      baseUrl: server.openaiBaseUrl,
      model: 'scripted-model',
      timeoutSeconds: 10,
    });
  });

  afterEach(async () => {
    await rejectAllProposals();
    await closeAllEditors();
    messages.dispose();
  });

  after(async () => {
    await server?.close();
    await configure({ provider: undefined, baseUrl: undefined, model: undefined, timeoutSeconds: undefined });
  });

  /** A repair that must succeed: proves the host is (again) usable. */
  async function repairWorks(): Promise<void> {
    const uri = await writeFile(fresh(), typeError);
    server.script([fix]);
    await runAt('anneal.repairFunction', uri, 1, 2);
    const tab = await waitForProposal(uri);
    assert.match(tab.label, /validated/);
    assert.match(await proposalText(tab), /return String\(count\);/);
  }

  it('scenario 6: the agent host killed during a run gives a clear error; the next command works', async () => {
    const uri = await writeFile(fresh(), typeError);
    server.script([{ ...fix, delayMs: 15_000 }]);
    const before = server.requests.length;
    const run = runAt('anneal.repairFunction', uri, 1, 2);
    await waitFor(() => server.requests.length > before, { message: 'the run to reach the model' });
    const pids = agentHostPids();
    assert.equal(pids.length, 1, `one agent host expected, found ${pids.join(', ')}`);
    process.kill(pids[0]!, 'SIGKILL');
    await run;

    const error = await messages.next(/stopped unexpectedly/, 'error');
    assert.match(error.text, /nothing was changed; run the command again/i);
    assert.match(error.text, /SIGKILL/);
    assert.ok(error.items.includes('Show Log'));
    assert.doesNotMatch(error.text, /\n\s+at /, 'no stack trace');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), typeError, 'the file is untouched');
    assert.equal(proposalTabFor(uri), undefined, 'no proposal from a dead run');

    await repairWorks();
    const after = agentHostPids();
    assert.equal(after.length, 1);
    assert.notEqual(after[0], pids[0], 'a new agent host was started');
  });

  it('trust: a hanging agent host (no answer) is timed out and restarted; the next command works', async () => {
    // A warm host to freeze.
    if (agentHostPids().length === 0) await repairWorks();
    const [pid] = agentHostPids();
    assert.ok(pid);
    const uri = await writeFile(fresh(), typeError);
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await runAt('anneal.repairFunction', uri, 1, 2);
      const error = await messages.next(/stopped responding and was restarted/, 'error');
      assert.match(error.text, /Nothing was changed; run the command again/);
      // anneal.timeoutSeconds (10 s) bounds the run; the host gets 30 s more before it counts as hung.
      assert.ok(Date.now() - started < 60_000, `timed out after ${Date.now() - started} ms`);
      await waitFor(() => processState(pid) === undefined || processState(pid) === 'Z', {
        message: 'the hung host to be killed',
      });
      assert.equal(readFileSync(uri.fsPath, 'utf8'), typeError, 'the file is untouched');
    } finally {
      if (processState(pid) !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    messages.clear();
    await repairWorks();
    assert.equal(
      messages.messages.filter((m) => m.level === 'error').length,
      0,
      'no error after the restart',
    );
  });
});
