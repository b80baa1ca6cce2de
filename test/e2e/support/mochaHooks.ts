import type { Context } from 'mocha';
import { saveArtifacts } from './artifacts';
import { liveSessions } from './session';

/**
 * Root hooks for the UI specs (loaded by .mocharc.e2e.json): artifacts for every failed test,
 * and no session outlives the run.
 */
export const mochaHooks = {
  async afterEach(this: Context) {
    const test = this.currentTest;
    if (!test || test.state !== 'failed') return;
    const sessions = liveSessions();
    if (sessions.length === 0) return;
    for (const [i, s] of sessions.entries()) {
      const title = sessions.length === 1 ? test.fullTitle() : `${test.fullTitle()} ${i + 1}`;
      await saveArtifacts(title, { page: s.page, codeServer: s.codeServer });
    }
  },
  async afterAll() {
    for (const s of liveSessions()) await s.close();
  },
};
