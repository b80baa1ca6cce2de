// Scripted answers for running the bench against the scripted model server (never a real model).
// Each task gets a behaviour: `right` (the reference at once), `wrong` (an obvious wrong answer),
// `repairable` (the reference with a planted undefined name, then a patch removing it when the
// engine sends the error back), `sloppy` (in repair, first a patch that does not apply, then the
// reference) or `hopeless` (in repair, only patches that never apply). The answer is chosen from what the engine sent, so concurrent
// samples of one task need no shared state.
import type { BenchTask } from '../../src/agent/eval/benchTask';
import {
  replyStep,
  toolCallStep,
  type RecordedRequest,
  type ScriptStep,
} from '../../test/support/scriptedModelServer';

export type ScriptedBehaviour = 'right' | 'wrong' | 'repairable' | 'sloppy' | 'hopeless';

const TS_MARKER = 'annealScriptedTypo';
const PY_MARKER = 'anneal_scripted_typo';

/** The reference with an undefined name planted on the first line of the entry's body. */
export function plantTypo(task: BenchTask): { text: string; line: string } {
  const text = task.reference ?? '';
  const lines = text.split('\n');
  const ts = task.language === 'typescript';
  const header = lines.findIndex((l) =>
    ts ? l.includes(`function ${task.entry}`) : l.startsWith(`def ${task.entry}(`),
  );
  let open = header;
  while (open >= 0 && open < lines.length && !(ts ? /\{\s*$/ : /:\s*$/).test(lines[open] ?? '')) open++;
  if (header < 0 || open >= lines.length)
    throw new Error(`${task.id}: cannot find the body of ${task.entry}`);
  const line = ts ? `  void ${TS_MARKER};` : `    ${PY_MARKER}`;
  lines.splice(open + 1, 0, line);
  return { text: lines.join('\n'), line: line + '\n' };
}

/** A fixed mix: mostly right, every fifth task wrong, every fourth repairable. */
export function defaultBehaviour(_task: BenchTask, index: number): ScriptedBehaviour {
  if (index % 5 === 4) return 'wrong';
  if (index % 4 === 1) return 'repairable';
  return 'right';
}

/** The task a request is about, from the "in <path> (<language>)" of the engine's first message. */
export function taskOfRequest(
  request: RecordedRequest,
  tasks: readonly BenchTask[],
): { task: BenchTask; stage: 'generate' | 'repair' } | undefined {
  const m = /(Implement|Repair) the .*? in (\S+) \((?:typescript|python|javascript)\)/.exec(request.text);
  if (!m) return undefined;
  const task = tasks.find((t) => t.file === m[2]);
  return task ? { task, stage: m[1] === 'Implement' ? 'generate' : 'repair' } : undefined;
}

/**
 * A fallback handler for the scripted server: answers every request of a bench run by the task's
 * behaviour. `behaviourOf` defaults to {@link defaultBehaviour} by position in `tasks`.
 */
export function scriptedBenchAnswers(
  tasks: readonly BenchTask[],
  behaviourOf: (task: BenchTask) => ScriptedBehaviour = (t) => defaultBehaviour(t, tasks.indexOf(t)),
  options: { usage?: { input: number; output: number } } = {},
): (request: RecordedRequest) => ScriptStep {
  // Fixed usage per call makes token figures hand-computable in tests.
  const extra = options.usage ? { usage: options.usage } : {};
  const writeFile = (content: string): ScriptStep =>
    toolCallStep({ name: 'write_file', arguments: { content } }, extra);
  // A patch whose old_string is not in the file; `n` keeps successive ones different.
  const missPatch = (n: number): ScriptStep =>
    toolCallStep(
      {
        name: 'patch_file',
        arguments: { old_string: `a line that is not in the file (${n})`, new_string: 'x' },
      },
      extra,
    );
  return (request) => {
    const found = taskOfRequest(request, tasks);
    if (!found) return replyStep('This scripted server only answers bench tasks.', extra);
    const { task, stage } = found;
    const behaviour = behaviourOf(task);
    const reference = task.reference ?? task.prompt;
    const marker = task.language === 'typescript' ? TS_MARKER : PY_MARKER;
    const misses = request.text.split('Not applied').length - 1;
    switch (behaviour) {
      case 'wrong':
        return writeFile(task.wrong ?? task.prompt);
      case 'right':
        return writeFile(reference);
      case 'repairable': {
        const planted = plantTypo(task);
        // The engine showed us the planted name (in its errors or the file): patch it away.
        if (request.text.includes(marker)) {
          return toolCallStep(
            { name: 'patch_file', arguments: { old_string: planted.line, new_string: '' } },
            extra,
          );
        }
        return writeFile(planted.text);
      }
      case 'sloppy':
      case 'hopeless':
        // Generation gets an answer with an error so that the repair loop runs.
        if (stage === 'generate') return writeFile(plantTypo(task).text);
        return behaviour === 'sloppy' && misses > 0 ? writeFile(reference) : missPatch(misses);
    }
  };
}
