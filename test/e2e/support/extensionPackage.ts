import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { e2eTools, extensionDir, extensionId } from './e2eEnv';

const run = promisify(execFile);

/** What a package is made of: the manifest's neighbours that .vscodeignore may ship, and dist/. */
const packageInputs = [
  'package.json',
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'media',
  'dist',
];

/**
 * Packages the built extension with `vsce package --no-dependencies` (the same .vsix a user
 * installs, so .vscodeignore is exercised) into `outDir`, and returns the file. It packages a
 * snapshot of the package inputs, so a rebuild of dist/ meanwhile cannot break the walk; one
 * retry covers a snapshot taken mid-rebuild.
 */
export async function packageExtension(outDir: string, dir = extensionDir()): Promise<string> {
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const vsix = join(outDir, `${extensionId(dir)}.vsix`);
  mkdirSync(outDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const stage = mkdtempSync(join(tmpdir(), 'anneal-e2e-stage-'));
    try {
      for (const input of packageInputs) {
        if (existsSync(join(dir, input))) cpSync(join(dir, input), join(stage, input), { recursive: true });
      }
      // Relative README links need a base URL to be rewritten; vsce only infers one for GitHub
      // and GitLab. They matter on a marketplace page, not for installing, so give it one.
      const base = baseContentUrl(dir);
      const args = [
        'package',
        '--no-dependencies',
        '--out',
        vsix,
        '--baseContentUrl',
        base,
        '--baseImagesUrl',
        base,
      ];
      await run(process.execPath, [vsce, ...args], {
        cwd: stage,
        maxBuffer: 16 * 1024 * 1024,
      });
      return vsix;
    } catch (e) {
      if (attempt < 2) continue;
      const detail =
        (e as { stderr?: string; stdout?: string }).stderr || (e as { stdout?: string }).stdout || String(e);
      throw new Error(`vsce package failed for ${dir}:\n${detail}`, { cause: e });
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
}

function baseContentUrl(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    repository?: string | { url?: string };
  };
  const repo = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  return `${(repo ?? 'https://example.invalid/extension').replace(/\.git$/, '')}/blob/main`;
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
