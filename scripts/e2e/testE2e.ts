// `npm run test:e2e`: installs/validates the E2E tools (scripts/e2e/setup.sh, seconds when
// cached), then runs the integration suite in code-server and the UI specs. Both always run;
// the exit code is non-zero if either failed or could not start.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { e2eTools, extensionDir, repoRoot } from '../../test/e2e/support/e2eEnv';

/** Each step is bounded (default 25 min) so that a hang fails with the step's name. */
function step(name: string, command: string, args: string[], timeoutMs = 25 * 60_000): boolean {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (result.error) console.log(`=== ${name}: ${result.error.message} ===`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(
    `=== ${name}: ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s ===`,
  );
  return ok;
}

function main(): number {
  if (process.env.ANNEAL_E2E_SKIP_SETUP !== '1') {
    if (!step('setup', 'bash', [join(repoRoot, 'scripts', 'e2e', 'setup.sh')])) return 1;
  }
  try {
    e2eTools();
    extensionDir();
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const tsx = ['--import', 'tsx'];
  const integration = step('integration (code-server extension host)', process.execPath, [
    ...tsx,
    join(repoRoot, 'test', 'integration', 'launch', 'codeServer.ts'),
  ]);
  const mochaArgs = [
    join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--config',
    '.mocharc.e2e.json',
  ];
  if (process.env.ANNEAL_E2E_GREP) mochaArgs.push('--grep', process.env.ANNEAL_E2E_GREP);
  const ui = step('UI flows (Chromium)', process.execPath, mochaArgs);
  return integration && ui ? 0 : 1;
}

process.exit(main());
