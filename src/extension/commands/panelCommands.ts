import type { AnnealServices } from '../annealServices';

/** anneal.showPanel: the plan log of the latest run. */
export function showPanel(s: AnnealServices) {
  return (): void => s.runs.showPanel();
}

/** anneal.cancelRun: cancel every run in progress (the status bar's Cancel). */
export function cancelRun(s: AnnealServices) {
  return (): void => s.runs.cancelAll();
}

/** anneal.showLog: the "Anneal" output channel. */
export function showLog(s: AnnealServices) {
  return (): void => s.log.show(true);
}
