import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runBenchCommand } from '../../../src/agent/eval/benchCommand';
import { loadSuite } from '../../../src/agent/eval/benchTask';
import { parseReportJson } from '../../../src/agent/eval/reports';
import { disposeEngine } from '../../../src/agent/engine/sharedEngine';
import { scriptedBenchAnswers, type ScriptedBehaviour } from '../../../bench/eval/scriptedAnswers';
import { startScriptedModelServer, type ScriptedModelServer } from '../../support/scriptedModelServer';

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

/**
 * A slice of the built-in suite with a scripted behaviour per task, and what the real engine
 * then does (worked out by hand from the engine's rules):
 * calls = model calls per sample, each scripted at 100 input / 20 output tokens.
 */
const PLAN: Record<
  string,
  { behaviour: ScriptedBehaviour; passed: boolean; attempts: number; calls: number }
> = {
  // right at once
  'ts-gen-slugify': { behaviour: 'right', passed: true, attempts: 0, calls: 1 },
  // first answer has an undefined name; one repair patch removes it
  'ts-gen-roman': { behaviour: 'repairable', passed: true, attempts: 1, calls: 2 },
  // validates but is wrong: only the hidden tests catch it
  'ts-gen-median': { behaviour: 'wrong', passed: false, attempts: 0, calls: 1 },
  // the repair patches never apply: 3 attempts, errors remain
  'ts-gen-camel-case': { behaviour: 'hopeless', passed: false, attempts: 3, calls: 4 },
  // the compiler's own import fix repairs it: no model call
  'ts-fix-missing-import': { behaviour: 'right', passed: true, attempts: 0, calls: 0 },
  // a type error the model fixes in one attempt
  'ts-fix-average-type': { behaviour: 'right', passed: true, attempts: 1, calls: 1 },
  // first patch misses, second attempt rewrites correctly
  'ts-fix-unique-by': { behaviour: 'sloppy', passed: true, attempts: 2, calls: 2 },
  // a logic bug no validator sees: the instruction takes it to the model, which fixes it
  'ts-fix-leap-year': { behaviour: 'right', passed: true, attempts: 1, calls: 1 },
  // Python: an attribute error pyright reports, fixed in one attempt
  'py-fix-method-not-called': { behaviour: 'right', passed: true, attempts: 1, calls: 1 },
};
const N = 2;

describe('anneal bench end to end against the scripted model server (not a real model)', function () {
  this.timeout(600_000);
  let server: ScriptedModelServer;
  let dir: string;
  let outDir: string;
  let stdout = '';
  let stderr = '';
  let code: number;

  before(async () => {
    const builtin = loadSuite('builtin');
    const tasks = builtin.tasks.filter((t) => t.id in PLAN);
    assert.equal(tasks.length, Object.keys(PLAN).length);
    // A user's own suite: a JSONL file with a templates folder beside it.
    dir = mkdtempSync(join(tmpdir(), 'anneal-bench-e2e-'));
    writeFileSync(join(dir, 'tasks.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
    cpSync(builtin.templatesDir, join(dir, 'templates'), { recursive: true });
    outDir = join(dir, 'out');
    server = await startScriptedModelServer({ models: ['scripted-model'] });
    server.fallback(
      scriptedBenchAnswers(tasks, (t) => PLAN[t.id]?.behaviour ?? 'right', {
        usage: { input: 100, output: 20 },
      }),
    );
    code = await runBenchCommand(
      [
        '--provider',
        'openai-compatible',
        '--base-url',
        server.openaiBaseUrl,
        '--model',
        'scripted-model',
        '--suite',
        join(dir, 'tasks.jsonl'),
        '-n',
        String(N),
        '-k',
        '1,2',
        '--concurrency',
        '2',
        '--timeout',
        '120',
        '--out',
        outDir,
      ],
      {
        stdout: (s) => void (stdout += s),
        stderr: (s) => void (stderr += s),
        isTTY: false,
      },
    );
  });

  after(async () => {
    await server?.close();
    disposeEngine();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes with exit code 0 and writes JSON, Markdown and HTML', () => {
    assert.equal(code, 0, stderr);
    for (const f of ['results.json', 'report.md', 'report.html']) assert.ok(existsSync(join(outDir, f)), f);
    assert.match(stderr, /\[18\/18\]/);
    assert.match(stdout, /pass@1: 77\.8%/);
  });

  it('every sample matches the hand-worked outcome', () => {
    const result = parseReportJson(readFileSync(join(outDir, 'results.json'), 'utf8'), 'results.json');
    for (const t of result.tasks) {
      const plan = PLAN[t.id];
      assert.ok(plan, t.id);
      assert.equal(t.samples.length, N);
      for (const s of t.samples) {
        assert.equal(s.passed, plan.passed, `${t.id}#${s.sample} passed (${s.reason ?? ''})`);
        assert.equal(s.status, plan.passed ? 'passed' : 'failed', t.id);
        assert.equal(s.attemptsUsed, plan.attempts, `${t.id} attempts`);
        assert.deepEqual(s.tokens, { input: 100 * plan.calls, output: 20 * plan.calls }, `${t.id} tokens`);
      }
    }
    const byId = new Map(result.tasks.map((t) => [t.id, t]));
    assert.equal(byId.get('ts-fix-missing-import')?.samples[0]?.zeroTokenFixes, 1);
    assert.deepEqual(byId.get('ts-fix-unique-by')?.samples[0]?.edits, { total: 2, applied: 1 });
    assert.deepEqual(byId.get('ts-gen-camel-case')?.samples[0]?.edits, { total: 3, applied: 0 });
    assert.equal(byId.get('ts-fix-leap-year')?.samples[0]?.verdict, 'validated');
  });

  it('suite metrics equal the hand-computed values', () => {
    const { summary: s } = parseReportJson(
      readFileSync(join(outDir, 'results.json'), 'utf8'),
      'results.json',
    );
    assert.equal(s.tasks, 9);
    assert.equal(s.samples, 18);
    assert.deepEqual(s.statusCounts, { passed: 14, failed: 4, error: 0, timeout: 0, cancelled: 0 });
    // 7 of 9 tasks pass every sample, 2 none
    assert.equal(s.passAtK['1']?.value, 7 / 9);
    assert.equal(s.passAtK['2']?.value, 7 / 9);
    // within 0 attempts: slugify, missing-import; within 1: + roman, average, python, leap-year; within 2: + unique-by
    assert.deepEqual(s.passAfterAttempts, [2 / 9, 6 / 9, 7 / 9, 7 / 9]);
    // needed a fix and ended clean: roman, missing-import, average, unique-by, python (10 samples); 2 without a model
    assert.equal(s.zeroTokenFixShare, 2 / 10);
    // repair tool calls applied: roman 1/1, average 1/1, unique-by 1/2, python 1/1, leap-year 1/1, camel 0/3 → 5/9 per sample
    assert.equal(s.wellFormedEditRate, 10 / 18);
    // entered repair: roman, camel, average, unique-by, python, leap-year (12); ended clean: all but camel (10)
    assert.equal(s.repairSuccessRate, 10 / 12);
    // errors before repair: 1 for roman, camel, missing-import, average, unique-by, python
    assert.equal(s.errorsBeforeRepair, 12 / 18);
    // calls per sample: 1+2+1+4+0+1+2+1+1 = 13 over 9 tasks
    assert.deepEqual(s.tokensPerTask, { input: (13 * 100) / 9, output: (13 * 20) / 9 });
    assert.deepEqual(s.totalTokens, { input: 13 * 100 * N, output: 13 * 20 * N });
    assert.equal(s.totalCostUsd, 0, 'the scripted model has no price');
    assert.ok(s.secondsPerTask > 0);
    assert.equal(server.requests.length, 13 * N, 'every model call went to the scripted server');
  });

  it('the Markdown report carries the headline figures and one row per task', () => {
    const md = readFileSync(join(outDir, 'report.md'), 'utf8');
    assert.match(md, /\| pass@1 \| 77\.8% \(95% CI/);
    assert.match(
      md,
      /\| Pass after 0 \/ 1 \/ 2 \/ 3 repair attempts \| 22\.2% \/ 66\.7% \/ 77\.8% \/ 77\.8% \|/,
    );
    for (const id of Object.keys(PLAN)) assert.match(md, new RegExp(`^\\| ${id} \\|`, 'm'));
    assert.match(md, /ts-gen-median .*hidden tests failed; engine: validated – Validated/);
  });

  describe('HTML report in headless Chromium', () => {
    let browser: Browser;
    before(async function () {
      if (!existsSync(chromiumPath)) {
        if (process.env.CI) throw new Error(`No Chromium at ${chromiumPath}: apt-get install -y chromium`);
        this.skip();
      }
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    });
    after(async () => {
      await browser?.close();
    });

    it('renders offline with its three charts and makes no network request', async () => {
      const page = await browser.newPage();
      const fileUrl = pathToFileURL(join(outDir, 'report.html')).href;
      const requests: string[] = [];
      page.on('request', (r) => void requests.push(r.url()));
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.goto(fileUrl, { waitUntil: 'load' });
      assert.deepEqual(requests, [fileUrl], 'only the report itself is loaded');
      assert.deepEqual(consoleErrors, []);
      assert.match((await page.textContent('h1')) ?? '', /Anneal bench: tasks/);
      const counts = await page.evaluate(() => ({
        attempts: document.querySelectorAll('#chart-pass-by-attempt g.bar').length,
        tokens: document.querySelectorAll('#chart-tokens g.bar').length,
        time: document.querySelectorAll('#chart-time g.bar').length,
        taskRows: document.querySelectorAll('#tasks tbody tr').length,
        attemptValues: [...document.querySelectorAll('#chart-pass-by-attempt g.bar')].map((g) =>
          Number(g.getAttribute('data-value')),
        ),
        tokenValues: [...document.querySelectorAll('#chart-tokens g.bar')].map((g) => [
          g.getAttribute('data-label'),
          Number(g.getAttribute('data-value')),
        ]),
      }));
      assert.equal(counts.attempts, 4);
      assert.equal(counts.tokens, 9);
      assert.equal(counts.time, 9);
      assert.equal(counts.taskRows, 9);
      assert.deepEqual(counts.attemptValues, [2 / 9, 6 / 9, 7 / 9, 7 / 9]);
      for (const [label, value] of counts.tokenValues) {
        const plan = PLAN[String(label)];
        assert.ok(plan, String(label));
        assert.equal(value, 120 * plan.calls, `${label} tokens bar`);
      }
      // The charts are laid out and painted, not just present in the DOM.
      for (const id of ['chart-pass-by-attempt', 'chart-tokens', 'chart-time']) {
        const box = await page.locator(`#${id}`).boundingBox();
        assert.ok(box && box.width > 100 && box.height > 100, `${id} has a size`);
      }
      const tallest = await page.evaluate(() =>
        Math.max(
          ...[...document.querySelectorAll('#chart-pass-by-attempt rect')].map(
            (r) => r.getBoundingClientRect().height,
          ),
        ),
      );
      assert.ok(tallest > 50, 'the attempt bars have height');
      mkdirSync(join('test-results', 'eval'), { recursive: true });
      await page.screenshot({ path: join('test-results', 'eval', 'bench-report.png'), fullPage: true });
      await page.close();
    });
  });
});
