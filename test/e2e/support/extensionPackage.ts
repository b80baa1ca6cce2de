import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { e2eTools, extensionDir, extensionId } from './e2eEnv';

const run = promisify(execFile);

/**
 * Packages the built extension with `vsce package --no-dependencies` (the same .vsix a user
 * installs, so .vscodeignore is exercised) into `outDir`, and returns the file.
 */
export async function packageExtension(outDir: string, dir = extensionDir()): Promise<string> {
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const vsix = join(outDir, `${extensionId(dir)}.vsix`);
  mkdirSync(outDir, { recursive: true });
  try {
    await run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const detail =
      (e as { stderr?: string; stdout?: string }).stderr || (e as { stdout?: string }).stdout || String(e);
    throw new Error(`vsce package failed in ${dir}:\n${detail}`, { cause: e });
  }
  return vsix;
}

/** Installs a .vsix into an extensions dir with code-server's own CLI. */
export async function installVsix(vsix: string, extensionsDir: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'anneal-e2e-install-'));
  try {
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: join(scratch, 'config'),
      XDG_DATA_HOME: join(scratch, 'data'),
      XDG_CACHE_HOME: join(scratch, 'cache'),
    };
    const { stdout, stderr } = await run(
      e2eTools().codeServer,
      [
        '--user-data-dir',
        join(scratch, 'user-data'),
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        vsix,
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
    if (!/successfully installed/i.test(stdout + stderr)) {
      throw new Error(
        `code-server --install-extension ${vsix} did not report success:\n${stdout}\n${stderr}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let shared: Promise<string> | undefined;

/**
 * An extensions dir holding the packaged extension, built once per test process and shared by
 * every session (installing takes seconds; sessions run one after another).
 */
export function installedExtensionsDir(): Promise<string> {
  shared ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'anneal-e2e-ext-'));
    process.on('exit', () => {
      if (process.env.ANNEAL_E2E_KEEP !== '1') rmSync(root, { recursive: true, force: true });
    });
    const vsix = await packageExtension(root);
    const extensionsDir = join(root, 'extensions');
    mkdirSync(extensionsDir);
    await installVsix(vsix, extensionsDir);
    return extensionsDir;
  })();
  return shared;
}
