// Assembles bench/suites/builtin/tasks.jsonl from the task sources in ./src.
// Usage: node bench/suites/builtin/build.mjs [--check]   (--check fails when tasks.jsonl is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsGenerate } from './src/tsGenerate.mjs';
import { tsRepair } from './src/tsRepair.mjs';
import { pyGenerate } from './src/pyGenerate.mjs';
import { pyRepair } from './src/pyRepair.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Applies [from, to] edits, each `from` occurring exactly once in the text it is applied to. */
function applyEdits(id, text, edits) {
  let out = text;
  for (const [from, to] of edits) {
    const first = out.indexOf(from);
    if (first < 0 || out.indexOf(from, first + 1) >= 0) {
      throw new Error(`${id}: edit source must occur exactly once: ${JSON.stringify(from)}`);
    }
    out = out.slice(0, first) + to + out.slice(first + from.length);
  }
  if (out === text) throw new Error(`${id}: edits changed nothing`);
  return out;
}

function testsFileFor(language, file) {
  if (language === 'typescript') return file.replace(/\.ts$/, '.test.ts');
  const slash = file.lastIndexOf('/');
  return file.slice(0, slash + 1) + 'test_' + file.slice(slash + 1);
}

function generateTask(language, t) {
  const pre = t.pre ?? '';
  const stub =
    language === 'typescript' ? " {\n  throw new Error('not implemented');\n}\n" : '    raise NotImplementedError\n';
  const wrap = (body) => (language === 'typescript' ? pre + t.head + ' {\n' + body + '}\n' : pre + t.head + body);
  return {
    prompt: language === 'typescript' ? pre + t.head + stub : pre + t.head + stub,
    reference: wrap(t.body),
    wrong: wrap(t.wrongBody),
  };
}

function repairTask(t) {
  return { prompt: applyEdits(t.id, t.reference, t.bugs), reference: t.reference, wrong: applyEdits(t.id, t.reference, t.wrong) };
}

export function buildTasks() {
  const groups = [
    ['typescript', 'generate', tsGenerate],
    ['typescript', 'repair', tsRepair],
    ['python', 'generate', pyGenerate],
    ['python', 'repair', pyRepair],
  ];
  const tasks = [];
  for (const [language, kind, list] of groups) {
    for (const t of list) {
      const texts = kind === 'generate' ? generateTask(language, t) : repairTask(t);
      tasks.push({
        id: t.id,
        language,
        kind,
        file: t.file,
        entry: t.entry,
        template: language === 'typescript' ? 'ts-strict' : 'python',
        prompt: texts.prompt,
        tests: { file: testsFileFor(language, t.file), content: t.tests },
        reference: texts.reference,
        wrong: texts.wrong,
        ...(t.bugKind ? { bugKind: t.bugKind } : {}),
      });
    }
  }
  const ids = new Set();
  for (const t of tasks) {
    if (ids.has(t.id)) throw new Error(`duplicate id ${t.id}`);
    ids.add(t.id);
  }
  return tasks;
}

const out = join(here, 'tasks.jsonl');
const text = buildTasks()
  .map((t) => JSON.stringify(t))
  .join('\n')
  .concat('\n');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // a missing file is stale
  }
  if (current !== text) {
    console.error('bench/suites/builtin/tasks.jsonl is out of date: run node bench/suites/builtin/build.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out} (${text.split('\n').length - 1} tasks)`);
}
