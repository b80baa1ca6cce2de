import { chromium, type Browser, type Page } from 'playwright-core';
import { e2eTools } from './e2eEnv';

/** Flags that keep Chromium quiet, offline-friendly and runnable as root in a container. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches the system Chromium (headless unless ANNEAL_E2E_HEADED=1). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: e2eTools().chromium,
    args: [...chromiumArgs],
    headless: process.env.ANNEAL_E2E_HEADED !== '1',
  });
}

/**
 * A fresh page big enough for a side-by-side diff. Page errors and (with ANNEAL_E2E_VERBOSE=1)
 * console messages are echoed, prefixed, so a broken workbench is visible in the test output.
 */
export async function newWorkbenchPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  if (process.env.ANNEAL_E2E_VERBOSE === '1')
    page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  return page;
}
