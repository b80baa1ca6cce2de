import assert from 'node:assert/strict';
import { loadSuite, templateDirFor } from '../../../src/agent/eval/benchTask';
import { runHiddenTests } from '../../../src/agent/eval/hiddenTests';
import { runPool } from '../../../src/agent/eval/workPool';

// The discrimination check: every built-in task's hidden tests pass on the reference and fail on
// both the prompt (stub or broken code) and an obvious wrong answer.
describe('built-in bench suite', function () {
  this.timeout(600_000);
  const suite = loadSuite('builtin');

  it('has 60 tasks spread evenly over language and kind', () => {
    const counts = new Map<string, number>();
    for (const t of suite.tasks)
      counts.set(`${t.language}/${t.kind}`, (counts.get(`${t.language}/${t.kind}`) ?? 0) + 1);
    assert.ok(suite.tasks.length >= 60);
    for (const key of ['typescript/generate', 'typescript/repair', 'python/generate', 'python/repair']) {
      assert.equal(counts.get(key), 15, key);
    }
  });

  it('generate prompts are stubs and repair prompts differ from the reference', () => {
    for (const t of suite.tasks) {
      assert.ok(t.reference && t.wrong && t.entry, `${t.id} carries reference, wrong answer and entry`);
      if (t.kind === 'generate') {
        assert.match(
          t.prompt,
          t.language === 'typescript' ? /throw new Error\('not implemented'\)/ : /raise NotImplementedError/,
          t.id,
        );
      } else {
        assert.notEqual(t.prompt, t.reference, t.id);
      }
      assert.notEqual(t.wrong, t.reference, t.id);
    }
  });

  it('hidden tests pass on every reference and fail on every prompt and wrong answer', async () => {
    const problems: string[] = [];
    await runPool(suite.tasks, 2, async (task) => {
      const templateDir = templateDirFor(suite, task);
      const opts = { timeoutMs: 60_000, ...(templateDir ? { templateDir } : {}) };
      const [ref, prompt, wrong] = [
        await runHiddenTests(task, task.reference ?? '', opts),
        await runHiddenTests(task, task.prompt, opts),
        await runHiddenTests(task, task.wrong ?? '', opts),
      ];
      if (!ref.passed)
        problems.push(`${task.id}: reference fails (${ref.outcome})\n${ref.output.slice(-1500)}`);
      if (prompt.outcome !== 'failed')
        problems.push(`${task.id}: prompt gives ${prompt.outcome}, want failed`);
      if (wrong.outcome !== 'failed')
        problems.push(`${task.id}: wrong answer gives ${wrong.outcome}, want failed`);
    });
    assert.deepEqual(problems, []);
  });
});
