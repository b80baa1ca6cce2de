// Checks what the .vsix would ship (`vsce ls`): only the bundles, the runtime packages loaded
// from disk, media and the manifest files. Run after `npm run build`.
import { execFileSync } from 'node:child_process';

const allowed = [
  /^dist\/(extension|agent|cli)\.js$/,
  /^dist\/webview\/[^/]+$/,
  /^dist\/node_modules\/(typescript|pyright|@astral-sh\/ruff-wasm-nodejs)\//,
  /^dist\/bench\/suites\//,
  /^media\/[^/]+$/,
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
];
const required = [
  'dist/extension.js',
  'dist/agent.js',
  'dist/cli.js',
  'dist/webview/main.js',
  'package.json',
  'README.md',
  'LICENSE',
];

const out = execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls'], { encoding: 'utf8' });
const files = out
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const extra = files.filter((f) => !allowed.some((re) => re.test(f)));
const missing = required.filter((f) => !files.includes(f));
const maps = files.filter((f) => f.endsWith('.map') && !f.startsWith('dist/node_modules/'));
if (extra.length || missing.length || maps.length) {
  if (extra.length) console.error(`Files that must not ship:\n  ${extra.slice(0, 20).join('\n  ')}`);
  if (missing.length) console.error(`Files missing from the package:\n  ${missing.join('\n  ')}`);
  if (maps.length) console.error(`Source maps must not ship:\n  ${maps.join('\n  ')}`);
  process.exit(1);
}
const top = new Map();
for (const f of files) {
  const key = f.startsWith('dist/node_modules/')
    ? f
        .split('/')
        .slice(0, f.includes('/@') ? 4 : 3)
        .join('/')
    : f;
  top.set(key, (top.get(key) ?? 0) + 1);
}
console.log(
  `vsix contents OK: ${files.length} files (${[...top].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ')})`,
);
