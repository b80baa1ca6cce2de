import type { ParsedRunParams } from '../../protocol/agentProtocol';
import type { Proposal } from '../../protocol/proposal';
import type { EngineHooks } from './engine';
import { getEngine } from './sharedEngine';

/** Runs one repair or generation on the shared warm engine; resolves to a proposal, writes nothing. */
export function runEngine(params: ParsedRunParams, hooks?: EngineHooks): Promise<Proposal> {
  return getEngine().run(params, hooks);
}
