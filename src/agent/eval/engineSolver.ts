import { RunParams, type ProviderId } from '../../protocol/agentProtocol';
import { runEngine } from '../engine/runEngine';
import type { SolveFn } from './runBench';

export interface EngineSolverSettings {
  provider: ProviderId;
  model?: string;
  baseUrl?: string;
  maxAttempts: number;
  /** The engine's own wall-clock limit; the bench's deadline is a little later. */
  timeoutMs: number;
}

/**
 * The default solver: the full engine, headless, on the task's private copy. Generate tasks ask
 * for the entry function from its signature and doc comment; repair tasks ask to repair it.
 */
export function engineSolver(settings: EngineSolverSettings): SolveFn {
  return async (task, sampleIndex, signal, { workspace, onRunLog }) => {
    const params = RunParams.parse({
      runId: `bench-${task.id}-${sampleIndex}-${Date.now().toString(36)}`,
      goal: task.kind,
      file: workspace.file,
      target: task.entry ? { kind: 'symbol', name: task.entry } : { kind: 'file' },
      ...(task.kind === 'repair'
        ? { instruction: `Make ${task.entry ?? 'the code'} do what its documentation says.` }
        : {}),
      workspaceRoot: workspace.dir,
      projectDir: workspace.dir,
      trusted: true,
      settings: {
        provider: settings.provider,
        ...(settings.model ? { model: settings.model } : {}),
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
        maxAttempts: settings.maxAttempts,
        timeoutMs: settings.timeoutMs,
      },
    });
    const proposal = await runEngine(params, { signal, onLog: onRunLog });
    return { text: proposal.newText, runLog: proposal.runLog };
  };
}
