import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { screenshot } from './support/artifacts';
import { extensionId } from './support/e2eEnv';
import { startSession, type Session } from './support/session';
import { waitFor } from './support/waitFor';
import { explorerRows, problemsRows } from './support/workbench';

describe('workbench smoke', () => {
  let session: Session;

  before(async () => {
    session = await startSession();
  });

  after(async () => {
    await session?.close();
  });

  it('opens the fixture workspace in the Explorer', async () => {
    const names = await waitFor(
      async () => {
        const texts = await explorerRows(session.page).allTextContents();
        return texts.some((t) => t.includes('src')) && texts;
      },
      { message: 'the Explorer to list src/' },
    );
    assert.ok(names.some((t) => t.includes('package.json')));
  });

  it('runs a command from the palette', async () => {
    await problemsRows(session.page);
    assert.equal(await session.page.locator('.markers-panel').first().isVisible(), true);
    const file = await screenshot(session.page, 'workbench smoke', 'problems view');
    assert.ok(existsSync(file));
  });

  it('has the packaged extension installed', () => {
    // Whether it activates is the integration suite's job; here: the .vsix went in.
    const installed = readdirSync(session.codeServer.extensionsDir);
    assert.ok(
      installed.some((d) => d.startsWith(`${extensionId()}-`)),
      `${extensionId()} not in ${installed.join(', ')}`,
    );
  });
});
