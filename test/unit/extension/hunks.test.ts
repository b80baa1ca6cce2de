import { strict as assert } from 'node:assert';
import {
  applyHunk,
  hunkAtLine,
  hunkBaseOffsets,
  revertHunk,
  splitHunks,
  splitLines,
} from '../../../src/extension/proposals/hunks';

const base = ['a\n', 'b\n', 'c\n', 'd\n', 'e\n', 'f\n', 'g\n'].join('');
// Hunk 0 changes b, hunk 1 inserts after d, hunk 2 deletes g.
const next = ['a\n', 'B\n', 'c\n', 'd\n', 'd2\n', 'e\n', 'f\n'].join('');

describe('proposal hunks', () => {
  it('splits lines keeping their terminators, CRLF included', () => {
    assert.deepEqual(splitLines('x\r\ny\nz'), ['x\r\n', 'y\n', 'z']);
    assert.deepEqual(splitLines(''), []);
  });

  it('finds each contiguous change with base and new line ranges', () => {
    const hunks = splitHunks(base, next);
    assert.deepEqual(
      hunks.map((h) => [h.baseStart, h.baseEnd, h.newStart, h.newEnd, h.removed.join(''), h.added.join('')]),
      [
        [1, 2, 1, 2, 'b\n', 'B\n'],
        [4, 4, 4, 5, '', 'd2\n'],
        [6, 7, 7, 7, 'g\n', ''],
      ],
    );
    assert.deepEqual(
      hunks.map((h) => h.index),
      [0, 1, 2],
    );
  });

  it('has no hunks for equal texts', () => {
    assert.deepEqual(splitHunks(base, base), []);
  });

  it('applying every hunk one by one, re-basing after each, gives the proposal', () => {
    let current = base;
    for (;;) {
      const [first] = splitHunks(current, next);
      if (!first) break;
      current = applyHunk(current, first);
    }
    assert.equal(current, next);
  });

  it('applies one hunk and leaves the others pending', () => {
    const hunks = splitHunks(base, next);
    const afterSecond = applyHunk(base, hunks[1]!);
    assert.equal(afterSecond, 'a\nb\nc\nd\nd2\ne\nf\ng\n');
    const remaining = splitHunks(afterSecond, next);
    assert.equal(remaining.length, 2);
    assert.deepEqual(
      remaining.map((h) => h.added.join('')),
      ['B\n', ''],
    );
  });

  it('reverting a hunk takes it out of the proposal only', () => {
    const hunks = splitHunks(base, next);
    const reverted = revertHunk(next, hunks[0]!);
    assert.equal(reverted, 'a\nb\nc\nd\nd2\ne\nf\n');
    assert.equal(splitHunks(base, reverted).length, 2);
    const deletionKept = revertHunk(next, hunks[2]!);
    assert.equal(deletionKept, 'a\nB\nc\nd\nd2\ne\nf\ng\n');
  });

  it('gives the character offsets of the base lines a hunk replaces', () => {
    const hunks = splitHunks(base, next);
    assert.deepEqual(hunkBaseOffsets(base, hunks[0]!), { start: 2, end: 4 });
    assert.deepEqual(hunkBaseOffsets(base, hunks[1]!), { start: 8, end: 8 });
    const { start, end } = hunkBaseOffsets(base, hunks[2]!);
    assert.equal(base.slice(start, end), 'g\n');
  });

  it('finds the hunk under the cursor on either side, else the next one below, else the last', () => {
    const hunks = splitHunks(base, next);
    assert.equal(hunkAtLine(hunks, 1, 'new')?.index, 0);
    assert.equal(hunkAtLine(hunks, 4, 'new')?.index, 1);
    assert.equal(hunkAtLine(hunks, 7, 'new')?.index, 2, 'a deletion sits where its text was');
    assert.equal(hunkAtLine(hunks, 6, 'base')?.index, 2);
    assert.equal(hunkAtLine(hunks, 2, 'new')?.index, 1, 'between hunks: the next one');
    assert.equal(hunkAtLine(hunks, 0, 'base')?.index, 0);
    assert.equal(hunkAtLine([], 0, 'base'), undefined);
  });

  it('keeps CRLF line endings when applying', () => {
    const crlfBase = 'one\r\ntwo\r\nthree\r\n';
    const crlfNext = 'one\r\n2\r\nthree\r\n';
    const [h] = splitHunks(crlfBase, crlfNext);
    assert.equal(applyHunk(crlfBase, h!), crlfNext);
  });

  it('handles a last line without a newline', () => {
    const hunks = splitHunks('x\ny', 'x\ny\nz\n');
    let current = 'x\ny';
    for (const h of hunks) current = applyHunk(current, h);
    assert.equal(current, 'x\ny\nz\n');
  });
});
