// `npm run bench:eval`: the built-in suite, end to end through the real engine and the real
// OpenAI SDK, against the SCRIPTED model server on 127.0.0.1 — not a real model. The scripted
// answers (bench/eval/scriptedAnswers.ts) are right for most tasks, wrong for some and need one
// repair for others, so the report exercises every metric offline. Extra arguments go to
// `anneal bench` (e.g. `npm run bench:eval -- --filter ts- -n 2 -k 1,2`).
import { runBenchCommand } from '../../src/agent/eval/benchCommand';
import { loadSuite } from '../../src/agent/eval/benchTask';
import { startScriptedModelServer } from '../../test/support/scriptedModelServer';
import { scriptedBenchAnswers } from './scriptedAnswers';

async function main(): Promise<number> {
  const suite = loadSuite('builtin');
  const server = await startScriptedModelServer({ models: ['scripted-model'] });
  server.fallback(scriptedBenchAnswers(suite.tasks));
  console.error(`Scripted model server (not a real model) at ${server.openaiBaseUrl}`);
  try {
    const extra = process.argv.slice(2);
    const args = [
      '--provider',
      'openai-compatible',
      '--base-url',
      server.openaiBaseUrl,
      '--model',
      'scripted-model',
      '--suite',
      'builtin',
      ...(extra.some((a) => a === '--out') ? [] : ['--out', 'bench-results/scripted']),
      ...extra,
    ];
    return await runBenchCommand(args, {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
    });
  } finally {
    await server.close();
  }
}

void main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
