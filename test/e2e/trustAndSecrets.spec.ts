import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorStep,
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../support/scriptedModelServer';
import {
  annealFromContextMenu,
  openWorkspace,
  planLog,
  proposalDiffClosed,
  readBytes,
  startAnnealSession,
  waitForProposalDiff,
} from './support/annealUi';
import type { Session } from './support/session';
import { waitFor } from './support/waitFor';
import {
  editorTitleButton,
  notificationMessages,
  openFile,
  runCommand,
  waitForNotification,
} from './support/workbench';
import { copyWorkspace } from './support/workspaceCopy';

// Workspace Trust and API keys, as a user meets them.

const typeError = `/** A label for a count of items. */
export function label(count: number): string {
  return count;
}
`;

/** Every file under `dir` (recursively) whose text contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) found.push(...filesContaining(path, needle));
    else if (stat.size < 20_000_000 && readFileSync(path, 'utf8').includes(needle)) found.push(path);
  }
  return found;
}

/** Pids of agent hosts started from the extensions dir of this test process. */
function agentHosts(extensionsDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(extensionsDir) && /dist[/\\]agent\.js/.test(cmdline)) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

describe('workspace trust', () => {
  let session: Session;
  let workspace: string;

  before(async () => {
    workspace = copyWorkspace(undefined, {
      files: { 'src/label.ts': typeError },
      settings: { 'anneal.provider': 'none' },
    });
    session = await startAnnealSession({ workspaceTrust: true, workspace });
  });

  after(async () => {
    await session?.close();
  });

  it('scenario 10: in an untrusted workspace Anneal refuses to run tools and says why', async () => {
    const { page } = session;
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    const before = readBytes(workspace, 'src/label.ts');
    await annealFromContextMenu(page, 'src/label.ts', 'return count;', 'Repair Function');
    const message = await waitForNotification(page, 'untrusted workspace');
    assert.match(message, /Anneal runs no tools, tests or models in an untrusted workspace/);
    assert.match(message, /Trust this workspace to generate or repair code/);
    const actions = await page
      .locator('.notifications-center .notification-list-item', { hasText: 'untrusted workspace' })
      .first()
      .locator('.monaco-button')
      .allTextContents();
    assert.ok(
      actions.some((a) => a.includes('Manage Workspace Trust')),
      `actions: ${actions.join(', ')}`,
    );
    assert.ok(await proposalDiffClosed(page), 'no proposal');
    assert.deepEqual(agentHosts(session.codeServer.extensionsDir), [], 'no agent host was started');
    assert.deepEqual(readBytes(workspace, 'src/label.ts'), before);
  });
});

describe('API keys', () => {
  const plantedKey = 'sk-anneal-e2e-PLANTED-7f3c9a0b2d4e6f81';
  let session: Session;
  let server: ScriptedModelServer;
  let workspace: string;

  before(async () => {
    server = await startScriptedModelServer();
    session = await startAnnealSession();
    workspace = copyWorkspace(undefined, {
      files: { 'src/label.ts': typeError },
      settings: {
        'anneal.provider': 'openai',
        'anneal.baseUrl': server.openaiBaseUrl,
        'anneal.model': 'scripted-model',
      },
    });
    await openWorkspace(session, workspace);
  });

  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('scenario 11: Set API Key stores the key in SecretStorage (used for requests), never in settings', async () => {
    const { page } = session;
    await openFile(page, 'src/label.ts');
    await runCommand(page, 'Anneal: Set API Key');
    const openai = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'OpenAI' }).first();
    await openai.waitFor({ state: 'visible' });
    await openai.click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await waitFor(async () => (await input.getAttribute('type')) === 'password', {
      message: 'a password input for the key',
    });
    await input.fill(plantedKey);
    await page.keyboard.press('Enter');
    await waitForNotification(page, 'the OpenAI API key is stored');

    // The key reaches the model service from SecretStorage, through the agent host.
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: { old_string: '  return count;', new_string: '  return String(count);' },
      }),
    ]);
    await annealFromContextMenu(page, 'src/label.ts', 'return count;', 'Repair Function');
    await waitForProposalDiff(page, 'label.ts');
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${plantedKey}`);
    await editorTitleButton(page, 'Reject Proposal').click();
    await waitFor(() => proposalDiffClosed(page), { message: 'the diff to close' });

    const settingsFiles = [
      join(session.codeServer.userDataDir, 'User', 'settings.json'),
      join(workspace, '.vscode', 'settings.json'),
    ];
    for (const file of settingsFiles) {
      if (existsSync(file))
        assert.ok(!readFileSync(file, 'utf8').includes(plantedKey), `${file} holds the key`);
    }
    assert.deepEqual(filesContaining(workspace, plantedKey), [], 'the key is in a workspace file');
  });

  it('trust: a planted API key never appears in the output channel, the panel, notifications or the extension host log', async () => {
    const { page } = session;
    // A service that echoes the key back in its error, as some do for a wrong key.
    server.script([errorStep(401, { message: `Incorrect API key provided: ${plantedKey}.` })]);
    await annealFromContextMenu(page, 'src/label.ts', 'return count;', 'Repair Function');
    await waitForNotification(page, /rejected the API key/, 60_000);
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${plantedKey}`);

    const notifications = await notificationMessages(page);
    assert.ok(notifications.length > 0);
    for (const n of notifications) assert.ok(!n.includes(plantedKey), `notification shows the key: ${n}`);
    const auth = notifications.find((n) => n.includes('rejected the API key'));
    assert.ok(auth, `an auth notification: ${notifications.join(' | ')}`);
    assert.equal(auth.split('Set OPENAI_API_KEY').length, 2, `says once where to set the key: ${auth}`);

    await runCommand(page, 'Anneal: Show Plan Log');
    const panel = planLog(page);
    await panel.locator('[data-testid="run-header"]').waitFor({ timeout: 30_000 });
    const panelText = (await panel.locator('body').textContent()) ?? '';
    assert.ok(panelText.length > 0);
    assert.ok(!panelText.includes(plantedKey), 'the plan log shows the key');

    await runCommand(page, 'Anneal: Show Log');
    const output = page.locator('.part.panel .monaco-editor .view-lines').first();
    // Monaco renders spaces as non-breaking spaces.
    const outputText = async () => ((await output.textContent()) ?? '').replace(/\u00a0/g, ' ');
    await waitFor(async () => (await outputText()).includes('run '), {
      message: 'the Anneal output channel',
    });
    assert.ok(!(await outputText()).includes(plantedKey), 'the output channel shows the key');

    const logs = join(session.codeServer.userDataDir, 'logs');
    const exthostLogs = session.codeServer.exthostLogs();
    assert.ok(exthostLogs.length > 0, 'an extension host log exists');
    assert.deepEqual(filesContaining(logs, plantedKey), [], 'a log file holds the key');
    const annealLogs = filesContaining(logs, 'run ').filter((f) => /anneal/i.test(f.slice(logs.length)));
    assert.ok(annealLogs.length > 0, 'the Anneal output channel is logged to disk (and was searched)');
  });
});
