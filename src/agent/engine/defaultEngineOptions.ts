import type { Engine } from './engine';

/** The validators, fixers and model stages a production engine runs with. */
export function defaultEngineOptions(): ConstructorParameters<typeof Engine>[0] {
  return {};
}
