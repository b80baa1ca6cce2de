import type { CheckParams, CheckResult } from '../../protocol/agentProtocol';
import { getEngine } from './sharedEngine';

/** Validates files in memory on the shared warm engine. */
export function checkFiles(params: CheckParams, signal?: AbortSignal): Promise<CheckResult> {
  return getEngine().check(params, signal);
}
