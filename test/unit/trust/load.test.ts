// Load rows that fit in a unit run: the warm TypeScript registry stays at its bound however many
// projects are opened, and one engine serves many consecutive runs with a flat heap. The full
// 200-run agent-host soak with RSS figures is `npm run bench:soak` (bench/soak/run.ts).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Engine } from '../../../src/agent/engine/engine';
import { RunParams } from '../../../src/protocol/agentProtocol';
import { leastSquaresSlope } from '../../../bench/soak/soakStats';
import { copyFixture } from '../../support/fixtures';

describe('trust matrix: load', function () {
  this.timeout(180_000);

  it('the warm validator cache stays at its bound when many projects are opened (LRU)', async () => {
    const engine = new Engine({ maxProjects: 2 });
    try {
      const projects = Array.from({ length: 5 }, () => copyFixture('ts-basic'));
      const sizes: number[] = [];
      for (const dir of projects) {
        const r = await engine.check({ files: [join(dir, 'src/clean.ts')], workspaceRoot: dir });
        assert.deepEqual(r.files[0]?.reports, []);
        sizes.push(engine.tsRegistry.size);
      }
      assert.deepEqual(sizes, [1, 2, 2, 2, 2]);
      // The most recent project is warm and still answers; an evicted one is rebuilt on demand.
      const again = await engine.check({
        files: [join(projects[0]!, 'src/typeError.ts')],
        workspaceRoot: projects[0]!,
      });
      assert.equal(again.files[0]?.reports[0]?.code, 'TS2322');
      assert.equal(engine.tsRegistry.size, 2);
    } finally {
      engine.dispose();
    }
    assert.equal(engine.tsRegistry.size, 0);
  });

  it('consecutive runs in one engine keep the heap flat after warm-up', async () => {
    // A full GC before each sample, so that the heap holds only what is really kept.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const engine = new Engine();
    const dir = copyFixture('ts-basic');
    const files = ['src/missingImport.ts', 'src/counter.ts', 'src/spelling.ts'];
    const heap: number[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const p = await engine.run(
          RunParams.parse({
            runId: `load-${i}`,
            goal: 'repair',
            file: join(dir, files[i % files.length]!),
            target: { kind: 'file' },
            workspaceRoot: dir,
            settings: { provider: 'none' },
          }),
        );
        assert.equal(p.verdict, 'validated');
        gc();
        heap.push(process.memoryUsage().heapUsed / 1024);
      }
    } finally {
      engine.dispose();
    }
    const slope = leastSquaresSlope(heap.slice(20));
    assert.ok(slope < 200, `heap grows ${slope.toFixed(1)} KB per run`);
  });
});
