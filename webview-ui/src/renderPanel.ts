/**
 * Builds the plan-log view from a state message with DOM APIs only. Every string from the run
 * (compiler messages, code, file names, model errors) goes through `textContent`, never markup.
 */
import type { ErrorCategory, ValidationReport } from '../../src/protocol/reports';
import type { RepairAttempt, RunLog, RunStep, StepStatus } from '../../src/protocol/runLog';
import type { PanelProposal, StateMessage } from '../../src/protocol/webviewProtocol';

/** What the view can ask the host to do; main.ts turns these into protocol messages. */
export interface PanelActions {
  reveal(location: { file: string; line: number; character: number }): void;
  approve(proposalId: string): void;
  reject(proposalId: string): void;
  /** A collapsible section was opened or closed by the user; `undefined` means back to default. */
  toggle(key: string, open: boolean | undefined): void;
}

/** UI state that outlives a render: which collapsible sections the user opened or closed. */
export interface PanelUiState {
  open: Readonly<Record<string, boolean>>;
}

const CATEGORY_ORDER: readonly ErrorCategory[] = [
  'syntax',
  'missing_import',
  'undefined_name',
  'type_mismatch',
  'contract_violation',
  'other',
];

const CATEGORY_LABEL: Record<ErrorCategory, string> = {
  syntax: 'Syntax',
  missing_import: 'Missing import',
  undefined_name: 'Undefined name',
  type_mismatch: 'Type mismatch',
  contract_violation: 'Contract violation',
  other: 'Other',
};

const STEP_ICON: Record<StepStatus, string[]> = {
  running: ['codicon-loading', 'codicon-modifier-spin'],
  done: ['codicon-pass'],
  failed: ['codicon-error'],
  skipped: ['codicon-circle-slash'],
};

interface VerdictLook {
  label: string;
  icon: string[];
}

const VERDICT_LOOK: Record<string, VerdictLook> = {
  running: { label: 'Running…', icon: ['codicon-loading', 'codicon-modifier-spin'] },
  validated: { label: 'Validated', icon: ['codicon-pass-filled'] },
  errors_remain: { label: 'Errors remain', icon: ['codicon-warning'] },
  needs_model: { label: 'Needs a model', icon: ['codicon-info'] },
  failed: { label: 'Failed', icon: ['codicon-error'] },
  cancelled: { label: 'Cancelled', icon: ['codicon-circle-slash'] },
};

/** Renders the whole view for `state` (or the empty view) into a new element. */
export function renderPanel(
  doc: Document,
  state: StateMessage | undefined,
  ui: PanelUiState,
  actions: PanelActions,
): HTMLElement {
  const h = new Dom(doc);
  const root = h.el('div', 'panel');
  if (!state) {
    root.append(renderEmpty(h));
    return root;
  }
  const { runLog, proposal } = state;
  const running = runLog.steps.some((s) => s.status === 'running');
  root.dataset.runId = runLog.runId;
  root.append(
    renderHeader(h, runLog),
    renderVerdict(h, runLog, proposal, running, actions),
    renderBudget(h, runLog, running),
    renderTimeline(h, runLog.steps),
    renderReportSection(h, {
      testId: 'reports-before',
      title: 'Errors before repair',
      reports: runLog.reportsBefore,
      empty: running && runLog.reportsBefore.length === 0 ? 'Not validated yet.' : 'No errors found.',
      actions,
    }),
  );
  if (runLog.fixes.length > 0) root.append(renderFixes(h, runLog));
  if (runLog.attempts.length > 0 || runLog.budget.maxAttempts > 0) {
    root.append(renderAttempts(h, runLog, ui, actions, running));
  }
  if (!running) {
    root.append(
      renderReportSection(h, {
        testId: 'reports-after',
        title: proposal ? 'Remaining in the proposal' : 'Remaining errors',
        reports: proposal ? proposal.reports : runLog.reportsAfter,
        empty: 'Nothing remains.',
        actions,
      }),
    );
  }
  return root;
}

function renderEmpty(h: Dom): HTMLElement {
  const box = h.el('div', 'empty');
  box.dataset.testid = 'empty';
  box.append(
    h.icon('codicon-checklist'),
    h.el('p', undefined, 'No run yet.'),
    h.el(
      'p',
      'muted',
      'Run an Anneal repair or generate command: its plan, validation errors and repair attempts appear here as they happen.',
    ),
  );
  return box;
}

function renderHeader(h: Dom, runLog: RunLog): HTMLElement {
  const header = h.el('header', 'run-header');
  header.dataset.testid = 'run-header';
  const title = h.el('h1', 'run-title');
  title.append(
    h.icon(runLog.goal === 'repair' ? 'codicon-wrench' : 'codicon-sparkle'),
    h.text(runLog.goal === 'repair' ? 'Repair ' : 'Generate '),
    h.el('code', 'target', runLog.target),
  );
  const meta = h.el('div', 'run-meta muted');
  const file = h.el('span', 'file', baseName(runLog.file));
  file.title = runLog.file;
  meta.append(file);
  const provider = runLog.model ? `${runLog.provider} · ${runLog.model}` : runLog.provider;
  meta.append(h.sep(), h.el('span', undefined, provider));
  meta.append(h.sep(), h.el('span', undefined, formatDuration(runLog.durationMs)));
  header.append(title, meta);
  return header;
}

function renderVerdict(
  h: Dom,
  runLog: RunLog,
  proposal: PanelProposal | undefined,
  running: boolean,
  actions: PanelActions,
): HTMLElement {
  const shown = running ? 'running' : (proposal?.verdict ?? runLog.verdict);
  const look = VERDICT_LOOK[shown] ?? { label: shown, icon: ['codicon-info'] };
  const section = h.el('section', `verdict verdict-${running ? 'running' : runLog.verdict}`);
  section.dataset.testid = 'verdict';
  section.dataset.verdict = running ? 'running' : shown;
  section.setAttribute('role', 'status');
  const body = h.el('div', 'verdict-body');
  body.append(h.el('div', 'verdict-label', look.label));
  if (runLog.message) body.append(h.el('div', 'verdict-message', runLog.message));
  section.append(h.icon(...look.icon), body);
  if (proposal && !running) {
    const buttons = h.el('div', 'verdict-actions');
    const approve = h.button('Approve', 'codicon-check', 'primary');
    approve.dataset.testid = 'approve';
    approve.dataset.focusKey = 'approve';
    const reject = h.button('Reject', 'codicon-close', 'secondary');
    reject.dataset.testid = 'reject';
    reject.dataset.focusKey = 'reject';
    // One decision per proposal: both buttons stay disabled until the host sends a new state.
    approve.addEventListener('click', () => {
      approve.disabled = reject.disabled = true;
      actions.approve(proposal.id);
    });
    reject.addEventListener('click', () => {
      approve.disabled = reject.disabled = true;
      actions.reject(proposal.id);
    });
    buttons.append(approve, reject);
    section.append(buttons);
  }
  return section;
}

function renderBudget(h: Dom, runLog: RunLog, running: boolean): HTMLElement {
  const { budget, summary } = runLog;
  const section = h.el('section', 'budget');
  section.dataset.testid = 'budget';
  section.setAttribute('aria-label', 'Budget used');

  const attempts = stat(h, 'budget-attempts', 'Attempts', `${budget.attemptsUsed} / ${budget.maxAttempts}`);
  attempts.append(meter(h, budget.attemptsUsed, budget.maxAttempts));

  const used = budget.tokens.input + budget.tokens.output;
  const tokens = stat(
    h,
    'budget-tokens',
    'Tokens',
    `${formatCount(used)} / ${formatCount(budget.tokenBudget)}`,
  );
  tokens.title = `${formatCount(budget.tokens.input)} in · ${formatCount(budget.tokens.output)} out`;
  tokens.append(meter(h, used, budget.tokenBudget));

  const cost = stat(h, 'budget-cost', 'Estimated cost', formatCost(budget.estimatedCostUsd));
  const errors = stat(
    h,
    'budget-errors',
    'Errors',
    // Mid-run the count after repair is not known yet.
    `${summary.errorsBefore} → ${running ? '…' : summary.errorsAfter}`,
    summary.zeroTokenFixes > 0 ? `${summary.zeroTokenFixes} fixed without tokens` : undefined,
  );
  section.append(attempts, tokens, cost, errors);
  return section;
}

function stat(h: Dom, testId: string, label: string, value: string, note?: string): HTMLElement {
  const box = h.el('div', 'stat');
  box.dataset.testid = testId;
  box.append(h.el('div', 'stat-label', label), h.el('div', 'stat-value', value));
  if (note) box.append(h.el('div', 'stat-note muted', note));
  return box;
}

function meter(h: Dom, value: number, max: number): HTMLElement {
  const bar = h.el('div', 'meter');
  const share = max > 0 ? Math.min(1, value / max) : value > 0 ? 1 : 0;
  bar.setAttribute('role', 'meter');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', String(max));
  bar.setAttribute('aria-valuenow', String(value));
  if (share >= 0.9) bar.classList.add('meter-high');
  const fill = h.el('div', 'meter-fill');
  // CSSOM writes are allowed under a CSP without 'unsafe-inline' (style attributes are not).
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  bar.append(fill);
  return bar;
}

function renderTimeline(h: Dom, steps: readonly RunStep[]): HTMLElement {
  const section = h.section('timeline', 'Plan', 'codicon-list-ordered');
  const list = h.el('ol', 'timeline');
  if (!steps.some((s) => s.tokens)) list.classList.add('timeline-no-tokens');
  for (const step of steps) {
    const item = h.el('li', `step step-${step.status}`);
    item.dataset.testid = 'step';
    item.dataset.status = step.status;
    item.dataset.stepId = String(step.id);
    const icon = h.icon(...STEP_ICON[step.status]);
    icon.classList.add('step-icon');
    icon.setAttribute('aria-label', step.status);
    icon.setAttribute('role', 'img');
    const main = h.el('div', 'step-main');
    main.append(h.el('div', 'step-name', step.name));
    if (step.detail) main.append(h.el('div', 'step-detail muted', step.detail));
    const figures = h.el('div', 'step-figures muted');
    const duration = h.el(
      'span',
      'step-duration',
      step.durationMs !== undefined ? formatDuration(step.durationMs) : step.status === 'running' ? '…' : '',
    );
    duration.dataset.testid = 'step-duration';
    figures.append(duration);
    // Always present (maybe empty) so durations and tokens line up in columns.
    const tokens = h.el('span', 'step-tokens');
    tokens.dataset.testid = 'step-tokens';
    if (step.tokens) {
      tokens.textContent = `${formatCount(step.tokens.input + step.tokens.output)} tok`;
      tokens.title = `${formatCount(step.tokens.input)} in · ${formatCount(step.tokens.output)} out`;
    }
    figures.append(tokens);
    item.append(icon, main, figures);
    list.append(item);
  }
  if (steps.length === 0) list.append(h.el('li', 'muted', 'Planning…'));
  section.append(list);
  return section;
}

function renderFixes(h: Dom, runLog: RunLog): HTMLElement {
  const section = h.section('fixes', `Zero-token fixes (${runLog.fixes.length})`, 'codicon-zap');
  const list = h.el('ul', 'fixes');
  for (const fix of runLog.fixes) {
    const item = h.el('li', 'fix');
    item.dataset.testid = 'fix';
    item.append(
      h.icon('codicon-check'),
      h.el('span', 'fix-description', fix.description),
      h.el('span', 'muted', `${fix.tool} ${fix.code} · line ${fix.line + 1}`),
    );
    list.append(item);
  }
  section.append(list);
  return section;
}

function renderAttempts(
  h: Dom,
  runLog: RunLog,
  ui: PanelUiState,
  actions: PanelActions,
  running: boolean,
): HTMLElement {
  const section = h.section('attempts', 'Repair attempts', 'codicon-debug-restart');
  const list = h.el('div', 'attempts');
  const last = runLog.attempts.at(-1)?.n;
  for (const attempt of runLog.attempts) {
    list.append(renderAttempt(h, runLog, attempt, attempt.n === last, ui, actions));
  }
  if (runLog.attempts.length === 0) {
    const note = running ? 'No repair attempt yet.' : 'No repair attempt was needed.';
    list.append(h.el('p', 'muted', note));
  }
  section.append(list);
  return section;
}

function renderAttempt(
  h: Dom,
  runLog: RunLog,
  attempt: RepairAttempt,
  isLast: boolean,
  ui: PanelUiState,
  actions: PanelActions,
): HTMLElement {
  const box = h.el('article', `attempt ${attempt.success ? 'attempt-success' : 'attempt-fail'}`);
  box.dataset.testid = 'attempt';
  box.dataset.attempt = String(attempt.n);
  box.dataset.success = String(attempt.success);
  if (attempt.rejected !== undefined) box.dataset.rejected = 'true';

  const head = h.el('div', 'attempt-head');
  const icon = h.icon(
    attempt.rejected !== undefined ? 'codicon-discard' : attempt.success ? 'codicon-pass' : 'codicon-error',
  );
  icon.classList.add('attempt-icon');
  const errors = h.el('span', 'attempt-errors', `${attempt.errorsIn} → ${attempt.errorsOut}`);
  errors.dataset.testid = 'attempt-errors';
  errors.title = `${attempt.errorsIn} errors in, ${attempt.errorsOut} errors out`;
  const tokens = h.el('span', 'muted', `${formatCount(attempt.tokens.input + attempt.tokens.output)} tok`);
  tokens.title = `${formatCount(attempt.tokens.input)} in · ${formatCount(attempt.tokens.output)} out`;
  head.append(
    icon,
    h.el('span', 'attempt-title', `Attempt ${attempt.n}`),
    errors,
    h.el('span', 'spacer'),
    tokens,
    h.el('span', 'muted', formatDuration(attempt.durationMs)),
  );
  box.append(head);

  if (attempt.rejected !== undefined) {
    const warn = h.el('div', 'attempt-rejected');
    warn.dataset.testid = 'attempt-rejected';
    warn.append(h.icon('codicon-warning'), h.text(`Discarded: ${attempt.rejected}`));
    box.append(warn);
  }
  if (attempt.edits.length > 0) {
    const edits = h.el('ul', 'edits');
    for (const edit of attempt.edits) {
      const item = h.el('li', edit.applied ? 'edit edit-applied' : 'edit edit-failed');
      item.dataset.testid = 'edit';
      item.dataset.applied = String(edit.applied);
      item.append(
        h.icon(edit.applied ? 'codicon-check' : 'codicon-close'),
        h.el('code', undefined, edit.tool),
      );
      if (edit.error) item.append(h.el('span', 'edit-error', edit.error));
      edits.append(item);
    }
    box.append(edits);
  }

  const key = `attempt:${runLog.runId}:${attempt.n}`;
  const defaultOpen = isLast && attempt.reportsOut.length > 0;
  const details = h.el('details', 'attempt-reports');
  details.open = ui.open[key] ?? defaultOpen;
  details.dataset.key = key;
  const summary = h.el(
    'summary',
    undefined,
    `Errors after attempt ${attempt.n} (${attempt.reportsOut.length})`,
  );
  summary.dataset.focusKey = `${key}:summary`;
  details.append(summary);
  details.append(
    attempt.reportsOut.length > 0
      ? renderGroups(h, attempt.reportsOut, actions, key)
      : h.el('p', 'muted', 'No errors.'),
  );
  details.addEventListener('toggle', () => {
    actions.toggle(key, details.open === defaultOpen ? undefined : details.open);
  });
  box.append(details);
  return box;
}

interface ReportSectionSpec {
  testId: string;
  title: string;
  reports: readonly ValidationReport[];
  empty: string;
  actions: PanelActions;
}

function renderReportSection(h: Dom, spec: ReportSectionSpec): HTMLElement {
  const icon = spec.reports.some((r) => r.severity === 'error') ? 'codicon-error' : 'codicon-pass';
  const section = h.section(spec.testId, `${spec.title} (${spec.reports.length})`, icon);
  section.append(
    spec.reports.length > 0
      ? renderGroups(h, spec.reports, spec.actions, spec.testId)
      : h.el('p', 'muted', spec.empty),
  );
  return section;
}

/** Reports grouped by category in the taxonomy's order; each row reveals its location. */
function renderGroups(
  h: Dom,
  reports: readonly ValidationReport[],
  actions: PanelActions,
  keyPrefix: string,
): HTMLElement {
  const box = h.el('div', 'groups');
  for (const category of CATEGORY_ORDER) {
    const inCategory = reports.filter((r) => r.category === category);
    if (inCategory.length === 0) continue;
    const group = h.el('div', 'group');
    group.dataset.testid = 'category-group';
    group.dataset.category = category;
    const title = h.el('div', 'group-title');
    const count = h.el('span', 'badge', String(inCategory.length));
    count.dataset.testid = 'category-count';
    title.append(h.el('span', undefined, CATEGORY_LABEL[category]), count);
    const list = h.el('ul', 'reports');
    inCategory.forEach((report, i) => {
      const item = h.el('li');
      const row = h.el('button', `report report-${report.severity}`);
      row.type = 'button';
      row.dataset.testid = 'report';
      row.dataset.category = report.category;
      row.dataset.severity = report.severity;
      row.dataset.file = report.file;
      row.dataset.line = String(report.line);
      row.dataset.character = String(report.character);
      row.dataset.focusKey = `${keyPrefix}:${category}:${i}`;
      const location = `${baseName(report.file)}:${report.line + 1}:${report.character + 1}`;
      row.title = `Go to ${report.file}:${report.line + 1}:${report.character + 1}`;
      const icon = h.icon(report.severity === 'error' ? 'codicon-error' : 'codicon-warning');
      icon.classList.add('report-icon');
      const message = h.el('span', 'report-message', report.message);
      message.dataset.testid = 'report-message';
      const where = h.el('span', 'report-where muted');
      where.append(
        h.el('span', 'report-code', `${report.tool} ${report.code}`),
        h.el('span', 'report-location', location),
      );
      row.append(icon, message, where);
      row.addEventListener('click', () => {
        actions.reveal({ file: report.file, line: report.line, character: report.character });
      });
      item.append(row);
      list.append(item);
    });
    group.append(title, list);
    box.append(group);
  }
  return box;
}

/** Small element factory bound to one document; text only through textContent. */
class Dom {
  constructor(private readonly doc: Document) {}

  el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] {
    const node = this.doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  text(value: string): Text {
    return this.doc.createTextNode(value);
  }

  icon(...names: string[]): HTMLElement {
    const node = this.el('span', 'codicon');
    node.classList.add(...names);
    node.setAttribute('aria-hidden', 'true');
    return node;
  }

  sep(): HTMLElement {
    const node = this.el('span', 'sep', '·');
    node.setAttribute('aria-hidden', 'true');
    return node;
  }

  button(label: string, icon: string, kind: 'primary' | 'secondary'): HTMLButtonElement {
    const node = this.el('button', `button button-${kind}`);
    node.type = 'button';
    node.append(this.icon(icon), this.el('span', undefined, label));
    return node;
  }

  section(testId: string, title: string, icon: string): HTMLElement {
    const node = this.el('section', `block block-${testId}`);
    node.dataset.testid = testId;
    const heading = this.el('h2', 'block-title');
    heading.append(this.icon(icon), this.el('span', undefined, title));
    node.append(heading);
    return node;
  }
}

function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.at(-1) || file;
}

/** `340 ms`, `1.2 s`, `2 m 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** Thousands separators regardless of the webview's locale, so tests and screenshots agree. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Dollars; small amounts keep four decimals so a cheap run does not read as free. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0.00';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
