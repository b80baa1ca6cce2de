import type { FrameLocator, Locator, Page } from 'playwright-core';
import { waitFor } from './waitFor';

// DOM helpers for the VS Code 1.139 workbench (code-server 4.139.1). Selectors from
// /work/shared/E2E.md; each helper waits with a timeout rather than sleeping.

const defaultTimeout = 20_000;

function escapeRegExp(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Waits for the workbench shell (first load can take a while on a cold machine). */
export async function waitForWorkbench(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout });
}

/** Rows of the Explorer tree. */
export function explorerRows(page: Page): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row');
}

/**
 * Runs a command by its palette title (e.g. `Problems: Focus on Problems View`): F1, type,
 * wait for the row whose label is exactly the title, Enter.
 */
export async function runCommand(page: Page, title: string, timeout = defaultTimeout): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: escapeRegExp(title) }) })
    .first();
  // The palette lists commands by the context when it opens (a `when` clause on the editor that
  // has only just opened may not hold yet): reopen it rather than wait on a stale list.
  for (let tries = 1; ; tries++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: tries < 3 ? timeout / 3 : timeout });
      break;
    } catch (e) {
      if (tries >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

/** Opens a workspace file through Quick Open (Ctrl+P), by its workspace-relative path. */
export async function openFile(page: Page, relativePath: string, timeout = defaultTimeout): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('Control+P');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relativePath);
  const name = relativePath.split('/').pop() ?? relativePath;
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: escapeRegExp(name) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
  await page
    .locator('.tabs-container .tab.active', { hasText: name })
    .first()
    .waitFor({ state: 'visible', timeout });
}

/** Lines of visible text editors (`.view-line`, one per rendered line). */
export function editorLines(page: Page): Locator {
  return page.locator('.monaco-editor .view-line');
}

/** The first rendered editor line containing `text`. */
export function editorLine(page: Page, text: string | RegExp): Locator {
  return editorLines(page).filter({ hasText: text }).first();
}

/**
 * Right-clicks `target` and picks a context-menu item; pass several labels to go through
 * submenus (each but the last is hovered to open it).
 */
export async function chooseContextMenu(page: Page, target: Locator, ...labels: string[]): Promise<void> {
  if (labels.length === 0) throw new Error('chooseContextMenu needs at least one label');
  await target.click({ button: 'right' });
  const menuItem = (label: string) =>
    page
      .locator('.context-view .monaco-menu .action-item')
      .filter({ has: page.locator('.action-label', { hasText: escapeRegExp(label) }) })
      .last();
  for (const [i, label] of labels.entries()) {
    const item = menuItem(label);
    await item.waitFor({ state: 'visible', timeout: defaultTimeout });
    if (i === labels.length - 1) {
      await item.click();
      break;
    }
    // A hover that lands while the layout still moves (a banner appearing, the menu settling)
    // does not open the submenu: hover again, then open it from the keyboard.
    const next = menuItem(labels[i + 1]!);
    for (let tries = 0; ; tries++) {
      if (tries < 2) await item.hover();
      else await page.keyboard.press('ArrowRight');
      try {
        await next.waitFor({ state: 'visible', timeout: 3000 });
        break;
      } catch (e) {
        if (tries >= 3) throw e;
      }
    }
  }
}

/** The (first) diff editor. */
export function diffEditor(page: Page): Locator {
  return page.locator('.monaco-diff-editor').first();
}

/** Lines on the modified (proposal) side of the diff editor. */
export function diffModifiedLines(page: Page): Locator {
  return page.locator('.monaco-diff-editor .editor.modified .view-line');
}

/** Lines on the original side of the diff editor. */
export function diffOriginalLines(page: Page): Locator {
  return page.locator('.monaco-diff-editor .editor.original .view-line');
}

/** Text of rendered lines (non-breaking spaces normalized), top to bottom as laid out. */
export async function lineTexts(lines: Locator): Promise<string[]> {
  const texts = await lines.evaluateAll((els) =>
    els
      .map((el) => ({
        top: parseFloat((el as unknown as { style: { top: string } }).style.top || '0'),
        text: el.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return texts.map((t) => t.replace(/\u00a0/g, ' '));
}

/** An editor-title button by its command title (aria-label may add the keybinding in parens). */
export function editorTitleButton(page: Page, title: string): Locator {
  const q = title.replace(/"/g, '\\"');
  return page
    .locator(
      `.editor-actions .action-label[aria-label="${q}"], .editor-actions .action-label[aria-label^="${q} ("]`,
    )
    .first();
}

/** Focuses the Problems view and returns its rows. */
export async function problemsRows(page: Page): Promise<Locator> {
  await runCommand(page, 'Problems: Focus on Problems View');
  await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: defaultTimeout });
  return page.locator('.markers-panel .monaco-list-row');
}

/**
 * Opens the notifications center and returns the messages shown there (with the smoke-test
 * driver on, toasts are suppressed, so this is the place to read them).
 */
export async function notificationMessages(page: Page): Promise<string[]> {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
  await center.waitFor({ state: 'visible', timeout: defaultTimeout });
  return page.locator('.notifications-center .notification-list-item-message').allTextContents();
}

/** Waits until a notification whose message matches appears, and returns its text. */
export async function waitForNotification(
  page: Page,
  text: string | RegExp,
  timeout = defaultTimeout,
): Promise<string> {
  return waitFor(
    async () => {
      const messages = await notificationMessages(page);
      return messages.find((m) => (typeof text === 'string' ? m.includes(text) : text.test(m)));
    },
    { timeout, message: `a notification matching ${String(text)}` },
  );
}

/** The content of the active webview (two nested iframes deep). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Runs `Developer: Reload Window` and waits for the reloaded workbench. */
export async function reloadWindow(page: Page, timeout = 60_000): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: defaultTimeout });
  await input.fill('>Developer: Reload Window');
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: escapeRegExp('Developer: Reload Window') }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: defaultTimeout });
  await page.keyboard.press('Enter');
  await loaded;
  await waitForWorkbench(page, timeout);
}
