// File faults below the VS Code UI: what the engine refuses to read, and what the one write path
// (writeFileAtomic: the CLI's --apply, the same base-hash rule the extension's Approve uses)
// refuses to write. Every row leaves the user's files byte-identical.
import { strict as assert } from 'node:assert';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnealError } from '../../../src/agent/annealError';
import { writeFileAtomic } from '../../../src/agent/edits/atomicWrite';
import { Engine } from '../../../src/agent/engine/engine';
import { createModelStage } from '../../../src/agent/engine/modelStage';
import { MAX_FILE_BYTES } from '../../../src/agent/workspace/fileGuard';
import type { ErrorReason } from '../../../src/protocol/errorReasons';
import { RunParams, type ParsedRunParams } from '../../../src/protocol/agentProtocol';
import { copyFixture, treeHash } from '../../support/fixtures';
import {
  startScriptedModelServer,
  toolCallStep,
  type ScriptedModelServer,
} from '../../support/scriptedModelServer';

describe('trust matrix: file faults', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let engine: Engine;
  let dir: string;
  let outside: string;
  let snapshot: Record<string, string>;
  let outsideSnapshot: Record<string, string>;

  before(async () => {
    server = await startScriptedModelServer();
    engine = new Engine({ modelStage: createModelStage({ retry: { delayScale: 0.001 }, env: {} }) });
  });
  after(async () => {
    engine.dispose();
    await server.close();
  });
  beforeEach(() => {
    dir = copyFixture('ts-basic');
    outside = mkdtempSync(join(tmpdir(), 'anneal-trust-outside-'));
    writeFileSync(join(outside, 'secret.ts'), 'export const s: number = "x";\n');
    snapshot = treeHash(dir);
    outsideSnapshot = treeHash(outside);
    server.script([]);
  });
  afterEach(() => {
    assert.deepEqual(treeHash(dir), snapshot, 'the workspace changed on disk');
    assert.deepEqual(treeHash(outside), outsideSnapshot, 'a file outside the workspace changed');
  });

  function params(file: string, over: Partial<{ text: string; model: boolean }> = {}): ParsedRunParams {
    return RunParams.parse({
      runId: 'trust-file',
      goal: 'repair',
      file,
      ...(over.text !== undefined ? { text: over.text } : {}),
      target: { kind: 'file' },
      workspaceRoot: dir,
      settings: over.model
        ? { provider: 'openai-compatible', model: 'scripted-model', baseUrl: server.openaiBaseUrl }
        : { provider: 'none' },
    });
  }

  async function refused(p: ParsedRunParams, reason: ErrorReason, message: RegExp): Promise<void> {
    await assert.rejects(
      () => engine.run(p),
      (e: unknown) => {
        assert.ok(AnnealError.is(e), String(e));
        assert.equal(e.reason, reason, e.message);
        assert.match(e.message, message);
        return true;
      },
    );
  }

  it('file edited and saved between proposal and apply: staleBase, the user edit kept', async () => {
    const file = join(dir, 'src/counter.ts');
    const p = await engine.run(params(file));
    assert.notEqual(p.newText, p.baseText);
    const edited = `${readFileSync(file, 'utf8')}// the user typed this\n`;
    writeFileSync(file, edited);
    snapshot = treeHash(dir);
    assert.throws(
      () => writeFileAtomic(file, p.newText, p.baseHash),
      (e: unknown) =>
        AnnealError.is(e, 'staleBase') && /Nothing was written.*run Anneal again/.test(e.message),
    );
    assert.equal(readFileSync(file, 'utf8'), edited);
  });

  it('file renamed or deleted between proposal and apply: notFound, nothing recreated', async () => {
    const file = join(dir, 'src/counter.ts');
    const p = await engine.run(params(file));
    const moved = join(dir, 'src/renamed.ts');
    renameSync(file, moved);
    const movedBytes = readFileSync(moved);
    snapshot = treeHash(dir);
    assert.throws(
      () => writeFileAtomic(file, p.newText, p.baseHash),
      (e: unknown) =>
        AnnealError.is(e, 'notFound') && /moved or deleted.*Nothing was written/.test(e.message),
    );
    assert.deepEqual(readFileSync(moved), movedBytes);
    rmSync(moved);
    snapshot = treeHash(dir);
    assert.throws(
      () => writeFileAtomic(file, p.newText, p.baseHash),
      (e: unknown) => AnnealError.is(e, 'notFound'),
    );
    assert.deepEqual(
      readdirSync(join(dir, 'src')).filter((f) => f.startsWith('counter') || f.includes('anneal')),
      [],
    );
  });

  it('CRLF line endings and a BOM survive a model patch written with LF', async () => {
    const file = join(dir, 'src/typeError.ts');
    const crlf = `\ufeff${readFileSync(file, 'utf8').replace(/\n/g, '\r\n')}`;
    writeFileSync(file, crlf);
    snapshot = treeHash(dir);
    server.script([
      toolCallStep({
        name: 'patch_file',
        arguments: { old_string: '  return count;\n}', new_string: '  return String(count);\n}' },
      }),
      toolCallStep({
        name: 'patch_file',
        arguments: {
          old_string: "  const item: number = list[index] ?? '';",
          new_string: "  const item: string = list[index] ?? '';",
        },
      }),
    ]);
    const p = await engine.run(params(file, { model: true }));
    assert.equal(p.verdict, 'validated', p.runLog.message);
    assert.equal(p.baseText, crlf);
    assert.ok(p.newText.startsWith('\ufeff'));
    assert.ok(p.newText.includes('  return String(count);\r\n}'));
    assert.ok(!/[^\r]\n/.test(p.newText), 'a bare LF in the proposal');
    // Applying it gives exactly the proposal, BOM and CRLF included.
    writeFileAtomic(file, p.newText, p.baseHash);
    assert.equal(readFileSync(file, 'utf8'), p.newText);
    snapshot = treeHash(dir);
  });

  it('a 5 MB file is refused whole with the limit, from disk and as unsaved editor text', async () => {
    const file = join(dir, 'src/huge.ts');
    const body = `export const big = [\n${'  1,\n'.repeat(1_050_000)}];\n`;
    assert.ok(Buffer.byteLength(body) > 5 * 1024 * 1024);
    writeFileSync(file, body);
    snapshot = treeHash(dir);
    await refused(params(file), 'fileTooLarge', /5\.0 MB; Anneal works on files up to 2 MB\. Split the file/);
    await refused(params(join(dir, 'src/counter.ts'), { text: body }), 'fileTooLarge', /up to 2 MB/);
    assert.equal(MAX_FILE_BYTES, 2 * 1024 * 1024);
  });

  it('a file just under the limit is handled whole, never truncated', async () => {
    const file = join(dir, 'src/large.ts');
    const line = '  1234567890123,\n';
    const lines = Math.floor((MAX_FILE_BYTES - 200) / line.length);
    const body = `export const values = [\n${line.repeat(lines)}];\nexport const n: string = values.length;\n`;
    assert.ok(Buffer.byteLength(body) <= MAX_FILE_BYTES);
    writeFileSync(file, body);
    snapshot = treeHash(dir);
    const p = await engine.run(params(file));
    assert.equal(p.baseText, body);
    assert.equal(p.newText, body);
    assert.equal(p.verdict, 'needs_model');
    assert.equal(p.reports[0]?.line, lines + 2);
  });

  it('a binary file is refused', async () => {
    const file = join(dir, 'src/blob.ts');
    writeFileSync(file, Buffer.from([0x65, 0x78, 0x00, 0x01, 0xff, 0x10]));
    snapshot = treeHash(dir);
    await refused(params(file), 'binaryFile', /binary file.*source text only/);
  });

  it('a non-UTF-8 file (Latin-1) is refused with how to convert it', async () => {
    const file = join(dir, 'src/latin1.ts');
    writeFileSync(file, Buffer.from('export const caf\xe9 = "na\xefve";\n', 'latin1'));
    snapshot = treeHash(dir);
    await refused(params(file), 'badInput', /not valid UTF-8.*Save with Encoding/);
  });

  it('a file outside the workspace is refused', async () => {
    await refused(
      params(join(outside, 'secret.ts')),
      'outsideWorkspace',
      /outside the workspace.*open the folder/,
    );
  });

  it('a symlinked folder that points outside the workspace is refused', async () => {
    symlinkSync(outside, join(dir, 'src/linked'));
    snapshot = treeHash(dir);
    await refused(params(join(dir, 'src/linked/secret.ts')), 'outsideWorkspace', /symlink/);
  });

  it('a path that climbs out with ../ is refused', async () => {
    const sneaky = join(dir, 'src', '..', '..', outside.split('/').pop() ?? '', 'secret.ts');
    await refused(params(sneaky), 'outsideWorkspace', /outside the workspace/);
  });

  it('a missing file and a folder are refused with what to check', async () => {
    await refused(params(join(dir, 'src/nope.ts')), 'notFound', /does not exist/);
    mkdirSync(join(dir, 'src/folder.ts'));
    snapshot = treeHash(dir);
    await refused(params(join(dir, 'src/folder.ts')), 'badInput', /not a regular file/);
  });
});
