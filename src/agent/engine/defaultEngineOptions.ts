import type { Engine } from './engine';
import { createModelStage } from './modelStage';

/** The validators, fixers and model stages a production engine runs with. */
export function defaultEngineOptions(): ConstructorParameters<typeof Engine>[0] {
  return { modelStage: createModelStage() };
}
