// `npm run demo:vscode`: code-server with the packaged extension on a fixed port, opening a copy
// of examples/shop; prints the URL and runs until Ctrl+C. ANNEAL_DEMO_PORT / ANNEAL_DEMO_HOST
// change the address; ANNEAL_DEMO_WORKSPACE opens another folder in place.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../../test/e2e/support/codeServer';
import { repoRoot } from '../../test/e2e/support/e2eEnv';
import { installedExtensionsDir } from '../../test/e2e/support/extensionPackage';
import { copyWorkspace } from '../../test/e2e/support/workspaceCopy';

async function main(): Promise<void> {
  const host = process.env.ANNEAL_DEMO_HOST ?? '127.0.0.1';
  const port = Number(process.env.ANNEAL_DEMO_PORT ?? 8080);
  const given = process.env.ANNEAL_DEMO_WORKSPACE;
  const example = join(repoRoot, 'examples', 'shop');
  if (!given && !existsSync(example)) throw new Error(`${example} does not exist`);
  // A copy, so approving changes in the demo leaves the checkout's example as it was.
  const workspace = given ? resolve(given) : copyWorkspace(example);
  console.log('packaging and installing the extension...');
  const extensionsDir = await installedExtensionsDir();
  const codeServer = await startCodeServer({ host, port, extensionsDir });
  console.log(
    `\nAnneal demo: open ${codeServer.folderUrl(workspace)}\n(workspace ${workspace}; Ctrl+C stops)`,
  );
  const reason = await new Promise<string>((done) => {
    process.once('SIGINT', () => done('stopping'));
    process.once('SIGTERM', () => done('stopping'));
    codeServer.process.once('exit', (code) => done(`code-server exited unexpectedly (code ${code})`));
  });
  console.log(reason);
  await codeServer.stop();
  if (reason !== 'stopping') process.exitCode = 1;
}

main().then(
  () => process.exit(),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
