/**
 * The built webview bundle in headless Chromium, under the same CSP the panel uses, with
 * `acquireVsCodeApi` stubbed the way VS Code provides it. Builds the bundle itself, or tests an
 * existing build with ANNEAL_WEBVIEW_DIST=dist/webview.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPanelHtml, createNonce } from '../../../src/extension/panel/panelHtml';
import type { RunLog } from '../../../src/protocol/runLog';
import type { ExtensionToWebviewMessage } from '../../../src/protocol/webviewProtocol';
import { CART, reportsBefore, sampleRunLog } from './sampleRunLog';
import { darkTheme, lightTheme } from './themeVariables';

const chromiumPath = process.env.ANNEAL_CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const screenshotDir = join('test-results', 'webview');

declare global {
  interface Window {
    __posted: unknown[];
    __violations: string[];
    __renders: number;
    __pwned?: number;
  }
}

/**
 * Installed before the page's own script: the host API stub and observers for the checks. A
 * string, not a function: the test runner's transform would add helpers the page does not have.
 */
const hostStub = `
window.__posted = [];
window.__violations = [];
window.__renders = 0;
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
// Survives reloads like VS Code's webview state survives hide/show.
const stateKey = 'vscode-webview-state';
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => {
    const saved = sessionStorage.getItem(stateKey);
    return saved === null ? undefined : JSON.parse(saved);
  },
  setState: (s) => sessionStorage.setItem(stateKey, JSON.stringify(s)),
});
new MutationObserver((records) => {
  for (const r of records) if (r.target.id === 'root') window.__renders++;
}).observe(document, { childList: true, subtree: true });
`;

describe('plan-log webview in Chromium', function () {
  let outDir: string;
  let ownOutDir = false;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async function () {
    if (!existsSync(chromiumPath)) {
      if (process.env.CI) throw new Error(`No Chromium at ${chromiumPath}: apt-get install -y chromium`);
      this.skip();
    }
    if (process.env.ANNEAL_WEBVIEW_DIST) {
      // The shipped artifact as esbuild.mjs built it (e.g. `node esbuild.mjs --production`).
      outDir = process.env.ANNEAL_WEBVIEW_DIST;
    } else {
      outDir = mkdtempSync(join(tmpdir(), 'anneal-webview-'));
      ownOutDir = true;
      // The same entry and options as esbuild.mjs's webview build.
      await esbuild.build({
        bundle: true,
        platform: 'browser',
        target: 'es2022',
        format: 'iife',
        entryPoints: { main: 'webview-ui/src/main.ts' },
        outdir: outDir,
        logLevel: 'error',
      });
      const codicons = dirname(createRequire(__filename).resolve('@vscode/codicons/package.json'));
      copyFileSync('webview-ui/src/main.css', join(outDir, 'main.css'));
      copyFileSync(join(codicons, 'dist', 'codicon.css'), join(outDir, 'codicon.css'));
      copyFileSync(join(codicons, 'dist', 'codicon.ttf'), join(outDir, 'codicon.ttf'));
    }

    const types: Record<string, string> = {
      '.js': 'text/javascript',
      '.css': 'text/css',
      '.ttf': 'font/ttf',
    };
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          buildPanelHtml({
            cspSource: origin,
            nonce: createNonce(),
            scriptUri: `${origin}/main.js`,
            styleUri: `${origin}/main.css`,
            codiconUri: `${origin}/codicon.css`,
          }),
        );
        return;
      }
      const file = join(outDir, path.replace(/^\/+/, ''));
      if (!/^\/[\w.-]+$/.test(path) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (ownOutDir) rmSync(outDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    await context.addInitScript({ content: hostStub });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    if (process.env.ANNEAL_E2E_VERBOSE === '1')
      page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
    await page.goto(origin);
    await page.waitForFunction(() => window.__posted.length > 0);
  });

  afterEach(async () => {
    await page?.context().close();
    assert.deepEqual(pageErrors, [], 'the page threw');
  });

  async function post(message: unknown): Promise<void> {
    await page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async function showState(runLog: RunLog, withProposal = true): Promise<void> {
    const message: ExtensionToWebviewMessage = {
      type: 'state',
      runLog,
      ...(withProposal
        ? { proposal: { id: 'p-1', verdict: runLog.verdict, reports: runLog.reportsAfter } }
        : {}),
    };
    await post(message);
    await page.waitForFunction(
      (id) => document.querySelector('.panel')?.getAttribute('data-run-id') === id,
      runLog.runId,
    );
  }

  async function applyTheme(vars: Record<string, string>, kind: 'light' | 'dark'): Promise<void> {
    // CSSOM writes, as VS Code does; style attributes would be blocked by the CSP.
    await page.evaluate(
      ({ vars, kind }) => {
        const root = document.documentElement;
        for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
        root.style.background = vars['--vscode-editor-background'] ?? '';
        document.body.classList.remove('vscode-light', 'vscode-dark');
        document.body.classList.add(`vscode-${kind}`);
      },
      { vars, kind },
    );
  }

  const texts = (selector: string) =>
    page.locator(selector).evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
  const attrs = (selector: string, name: string) =>
    page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);

  it('says ready on load and shows the empty view until a run arrives', async () => {
    assert.deepEqual(await page.evaluate(() => window.__posted), [{ type: 'ready' }]);
    assert.equal(await page.locator('[data-testid="empty"]').count(), 1);
  });

  it('renders the timeline, budget, attempts, grouped errors and verdict', async () => {
    await showState(sampleRunLog());

    assert.deepEqual(await attrs('[data-testid="timeline"] [data-testid="step"]', 'data-status'), [
      'done',
      'done',
      'done',
      'done',
      'done',
      'done',
      'skipped',
      'done',
    ]);
    const firstAttemptStep = page.locator('[data-testid="step"]').nth(4);
    assert.match(await firstAttemptStep.innerText(), /Repair attempt 1/);
    assert.equal(
      (await firstAttemptStep.locator('[data-testid="step-duration"]').innerText()).trim(),
      '3.9 s',
    );
    assert.equal(
      (await firstAttemptStep.locator('[data-testid="step-tokens"]').innerText()).trim(),
      '2,722 tok',
    );
    assert.equal(await firstAttemptStep.locator('.codicon-pass').count(), 1);

    assert.deepEqual(await texts('[data-testid="attempt"] [data-testid="attempt-errors"]'), [
      '3 → 1',
      '1 → 0',
    ]);
    assert.deepEqual(await attrs('[data-testid="attempt"]', 'data-success'), ['false', 'true']);

    const before = page.locator('[data-testid="reports-before"]');
    assert.deepEqual(
      await before
        .locator('[data-testid="category-group"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-category'))),
      ['missing_import', 'undefined_name', 'type_mismatch'],
    );
    const typeGroup = before.locator('[data-testid="category-group"][data-category="type_mismatch"]');
    assert.equal(await typeGroup.locator('[data-testid="report"]').count(), 2);
    assert.equal((await typeGroup.locator('[data-testid="category-count"]').innerText()).trim(), '2');
    const attemptOne = page.locator('[data-testid="attempt"][data-attempt="1"]');
    assert.deepEqual(
      await attemptOne
        .locator('[data-testid="report"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-category'))),
      ['type_mismatch'],
    );

    const budget = page.locator('[data-testid="budget"]');
    assert.equal(
      (await budget.locator('[data-testid="budget-attempts"] .stat-value').innerText()).trim(),
      '2 / 3',
    );
    assert.equal(
      (await budget.locator('[data-testid="budget-tokens"] .stat-value').innerText()).trim(),
      '5,460 / 60,000',
    );
    assert.equal(
      (await budget.locator('[data-testid="budget-cost"] .stat-value').innerText()).trim(),
      '$0.0029',
    );

    const verdict = page.locator('[data-testid="verdict"]');
    assert.equal(await verdict.getAttribute('data-verdict'), 'validated');
    assert.match(await verdict.innerText(), /Validated/);
    assert.match(await verdict.innerText(), /All errors fixed in 2 attempts/);
    assert.equal(await page.locator('[data-testid="reports-after"] [data-testid="report"]').count(), 0);

    // The CSP let the nonce'd script, the styles and the codicon font through, and nothing else was tried.
    await page.evaluate(() => document.fonts.ready);
    assert.ok(
      await page.evaluate(() =>
        [...document.fonts].some((f) => f.family.includes('codicon') && f.status === 'loaded'),
      ),
    );
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  });

  it('asks the host to reveal a location, approve and reject', async () => {
    await showState(sampleRunLog());
    await page
      .locator('[data-testid="reports-before"] [data-testid="report"][data-category="undefined_name"]')
      .click();
    await page.locator('[data-testid="approve"]').click();
    assert.equal(
      await page.locator('[data-testid="reject"]').isDisabled(),
      true,
      'one decision per proposal',
    );
    // The host sends the state again when the decision did not go through: the buttons come back.
    await post({
      type: 'state',
      runLog: sampleRunLog(),
      proposal: { id: 'p-1', verdict: 'validated', reports: [] },
    });
    await page.waitForFunction(
      () => !(document.querySelector('[data-testid="approve"]') as HTMLButtonElement).disabled,
    );
    await showState(sampleRunLog({ runId: 'run-2' }));
    await page.locator('[data-testid="reject"]').click();
    assert.deepEqual((await page.evaluate(() => window.__posted)).slice(1), [
      { type: 'reveal', file: CART, line: 11, character: 4 },
      { type: 'approve', proposalId: 'p-1' },
      { type: 'reject', proposalId: 'p-1' },
    ]);
  });

  it('updates live while the run is in progress', async () => {
    const done = sampleRunLog();
    const running = sampleRunLog({
      steps: [
        ...done.steps.slice(0, 4),
        { id: 5, name: 'Repair attempt 1', status: 'running', startedAt: 0 },
      ],
      attempts: [],
      budget: { ...done.budget, attemptsUsed: 1 },
      reportsAfter: [],
    });
    await showState(running, false);
    const step = page.locator('[data-testid="step"][data-step-id="5"]');
    assert.equal(await step.getAttribute('data-status'), 'running');
    assert.equal(await step.locator('.codicon-loading.codicon-modifier-spin').count(), 1);
    assert.equal(await page.locator('[data-testid="verdict"]').getAttribute('data-verdict'), 'running');
    assert.equal(await page.locator('[data-testid="approve"]').count(), 0);
    assert.equal(await page.locator('[data-testid="reports-after"]').count(), 0);
    assert.equal(
      (await page.locator('[data-testid="budget-errors"] .stat-value').innerText()).trim(),
      '4 → …',
    );

    await post({ type: 'state', runLog: done });
    await page.waitForFunction(
      () => document.querySelector('[data-step-id="5"]')?.getAttribute('data-status') === 'done',
    );
    assert.equal(await page.locator('[data-testid="verdict"]').getAttribute('data-verdict'), 'validated');
    assert.equal(await page.locator('[data-testid="attempt"]').count(), 2);
  });

  it('ignores messages of an unknown type or a bad shape', async () => {
    await showState(sampleRunLog());
    const renders = await page.evaluate(() => window.__renders);
    const good = sampleRunLog();
    for (const bad of [
      { type: 'explode' },
      { type: 'clear', extra: true },
      { type: 'state' },
      { type: 'state', runLog: { ...good, verdict: 'great', runId: 'bad-1' } },
      { type: 'state', runLog: { ...good, attempts: [{ n: 1 }], runId: 'bad-2' } },
      'clear',
      null,
    ]) {
      await post(bad);
    }
    // Messages arrive in order: once this one is shown, every bad one before it was handled.
    await post({ type: 'state', runLog: { ...good, message: 'after the bad ones' } });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="verdict"]')?.textContent?.includes('after the bad ones'),
    );
    assert.equal(
      await page.evaluate(() => window.__renders),
      renders + 1,
      'only the valid message re-rendered',
    );
    assert.equal(await page.locator('.panel').getAttribute('data-run-id'), 'run-1');

    await post({ type: 'clear' });
    await page.locator('[data-testid="empty"]').waitFor();
  });

  it('shows markup from compiler messages and code as text', async () => {
    const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    await showState(
      sampleRunLog({
        target: '<b>bold</b>',
        message: evil,
        reportsBefore: [{ ...reportsBefore[0]!, message: evil, code: '<i>TS1</i>' }],
        steps: [{ id: 1, name: evil, status: 'done', startedAt: 0, durationMs: 1, detail: evil }],
      }),
    );
    assert.equal(await page.locator('#root script, #root img, #root b, #root i').count(), 0);
    assert.equal(
      (
        await page.locator('[data-testid="reports-before"] [data-testid="report-message"]').innerText()
      ).trim(),
      evil,
    );
    assert.match(await page.locator('.run-title').innerText(), /<b>bold<\/b>/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  });

  it('restores the run and opened sections from its saved state when shown again', async () => {
    await showState(sampleRunLog());
    const details = page.locator('[data-testid="attempt"][data-attempt="1"] details');
    assert.equal(await details.getAttribute('open'), null, 'earlier attempts start closed');
    await details.locator('summary').click();
    await page.waitForFunction(() =>
      sessionStorage.getItem('vscode-webview-state')?.includes('attempt:run-1:1'),
    );

    // Hidden then shown without retained context = a fresh page with the saved state; the host
    // has nothing new to send.
    await page.reload();
    await page.locator('[data-testid="verdict"]').waitFor();
    assert.equal(
      await page.locator('[data-testid="attempt"][data-attempt="1"] details').getAttribute('open'),
      '',
    );
    assert.deepEqual(await page.evaluate(() => window.__posted), [{ type: 'ready' }]);
    assert.deepEqual(await texts('[data-testid="attempt-errors"]'), ['3 → 1', '1 → 0']);
  });

  it('looks native in light and dark themes (screenshots)', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const run = sampleRunLog({
      verdict: 'errors_remain',
      message: 'One error remains after 3 attempts; the proposal is the best candidate (fewest errors).',
      reportsAfter: [reportsBefore[1]!],
      steps: [
        ...sampleRunLog().steps.slice(0, 6),
        {
          id: 9,
          name: 'Repair attempt 3',
          status: 'failed',
          startedAt: 0,
          durationMs: 2_900,
          tokens: { input: 2_700, output: 240 },
          detail: '1 error remains',
        },
        ...sampleRunLog().steps.slice(6),
      ],
      attempts: [
        ...sampleRunLog().attempts.slice(0, 1),
        {
          n: 2,
          errorsIn: 1,
          errorsOut: 1,
          success: false,
          tokens: { input: 2_540, output: 1_980 },
          durationMs: 5_100,
          edits: [{ tool: 'write_file', applied: true }],
          rejected: 'rewrote 82% of the function (cap 50%); keeping the previous candidate',
          reportsOut: [reportsBefore[1]!],
        },
        {
          n: 3,
          errorsIn: 1,
          errorsOut: 1,
          success: false,
          tokens: { input: 2_700, output: 240 },
          durationMs: 2_900,
          edits: [{ tool: 'patch_file', applied: true }],
          reportsOut: [reportsBefore[1]!],
        },
      ],
      budget: {
        maxAttempts: 3,
        attemptsUsed: 3,
        tokenBudget: 60_000,
        tokens: { input: 7_550, output: 2_632 },
        estimatedCostUsd: 0.0072,
      },
      summary: { ...sampleRunLog().summary, errorsAfter: 1, repairAttempts: 3, repairSuccessRate: 0 },
    });
    await showState(run);
    for (const [kind, vars] of [
      ['light', lightTheme],
      ['dark', darkTheme],
    ] as const) {
      await applyTheme(vars, kind);
      await page.evaluate(() => document.fonts.ready);
      const path = join(screenshotDir, `plan-log-${kind}.png`);
      await page.screenshot({ path, fullPage: true });
      assert.ok(readFileSync(path).length > 10_000);
    }
    await page.setViewportSize({ width: 440, height: 900 });
    await page.screenshot({ path: join(screenshotDir, 'plan-log-narrow-dark.png'), fullPage: true });
    await page.setViewportSize({ width: 900, height: 900 });
    await showState(
      sampleRunLog({
        runId: 'run-live',
        steps: [
          ...sampleRunLog().steps.slice(0, 4),
          { id: 5, name: 'Repair attempt 1', status: 'running', startedAt: 0 },
        ],
        attempts: [],
        message: 'Asking gpt-4.1-mini to fix 3 errors…',
      }),
      false,
    );
    await page.screenshot({ path: join(screenshotDir, 'plan-log-running-dark.png'), fullPage: true });
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  });
});
