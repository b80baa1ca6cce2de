import { Engine } from './engine';
import { defaultEngineOptions } from './defaultEngineOptions';

let shared: Engine | undefined;

/** The process-wide engine: one warm set of TypeScript projects for every run in this process. */
export function getEngine(): Engine {
  shared ??= new Engine(defaultEngineOptions());
  return shared;
}

/** Releases the warm caches (agent shutdown). */
export function disposeEngine(): void {
  shared?.dispose();
  shared = undefined;
}
