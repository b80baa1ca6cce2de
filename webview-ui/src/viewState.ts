/**
 * What the webview keeps in `vscode.setState` so the panel looks the same after it is hidden and
 * shown again (the context is not retained) or restored after a window reload.
 */
import * as z from 'zod';
import { StateMessage } from '../../src/protocol/webviewProtocol';

export const ViewState = z.object({
  version: z.literal(1),
  /** The last run shown; absent after `clear` or before the first run. */
  message: StateMessage.optional(),
  /** Collapsible sections the user opened or closed, by key. */
  open: z.record(z.string(), z.boolean()),
  scrollY: z.number().nonnegative().optional(),
});
export type ViewState = z.infer<typeof ViewState>;

/** The saved state if it is valid, else a fresh one: stored state is input like any other. */
export function readViewState(saved: unknown): ViewState {
  const parsed = ViewState.safeParse(saved);
  return parsed.success ? parsed.data : { version: 1, open: {} };
}
