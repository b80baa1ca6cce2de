/**
 * Plan-log webview entry: restores the saved view, asks the host for the latest state, and
 * re-renders on every valid message. Messages that do not match the protocol are dropped.
 */
// Must stay the first import: it configures zod before the protocol schemas are built.
import './zodConfig';
import {
  ExtensionToWebviewMessage,
  type WebviewToExtensionMessage,
} from '../../src/protocol/webviewProtocol';
import { renderPanel, type PanelActions } from './renderPanel';
import { readViewState, type ViewState } from './viewState';
import { vscodeApi } from './vscodeApi';

const host = vscodeApi();
let view: ViewState = readViewState(host.getState());

function send(message: WebviewToExtensionMessage): void {
  host.postMessage(message);
}

function save(): void {
  host.setState(view);
}

const actions: PanelActions = {
  reveal: (location) => send({ type: 'reveal', ...location }),
  approve: (proposalId) => send({ type: 'approve', proposalId }),
  reject: (proposalId) => send({ type: 'reject', proposalId }),
  toggle(key, open) {
    const next = { ...view.open };
    if (open === undefined) delete next[key];
    else next[key] = open;
    view = { ...view, open: next };
    save();
  },
};

function render(): void {
  const root = document.getElementById('root');
  if (!root) return;
  // Live updates replace the tree; keep keyboard focus on the same control across renders.
  const focusKey =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
  root.replaceChildren(renderPanel(document, view.message, { open: view.open }, actions));
  root.dataset.state = view.message ? 'run' : 'empty';
  if (focusKey) {
    for (const el of root.querySelectorAll<HTMLElement>('[data-focus-key]')) {
      if (el.dataset.focusKey === focusKey) {
        el.focus();
        break;
      }
    }
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = ExtensionToWebviewMessage.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  switch (message.type) {
    case 'state': {
      // A different run starts with default open/closed sections.
      const sameRun = view.message?.runLog.runId === message.runLog.runId;
      view = { ...view, message, open: sameRun ? view.open : {} };
      break;
    }
    case 'clear':
      view = { version: 1, open: {} };
      break;
  }
  save();
  render();
});

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => {
    view = { ...view, scrollY: window.scrollY };
    save();
  }, 150);
});

render();
if (view.scrollY) window.scrollTo(0, view.scrollY);
send({ type: 'ready' });
