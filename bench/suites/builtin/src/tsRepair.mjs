// TypeScript "repair" tasks: a plausible broken implementation to fix.
// Fields: id, file, entry, reference (a correct file), bugs ([from, to] edits applied to the
// reference to make the broken prompt; each `from` must occur exactly once), wrong ([from, to]
// edits applied to the reference giving an obvious wrong answer), tests, bugKind (for the docs).

const T = `import { test } from 'node:test';
import assert from 'node:assert/strict';
`;

export const tsRepair = [
  {
    id: 'ts-fix-sum-range',
    file: 'src/sumRange.ts',
    entry: 'sumRange',
    bugKind: 'off-by-one',
    reference: `/** The sum of the integers from \`from\` to \`to\`, both included; 0 when from > to. */
export function sumRange(from: number, to: number): number {
  let total = 0;
  for (let i = from; i <= to; i++) total += i;
  return total;
}
`,
    bugs: [['i <= to', 'i < to']],
    wrong: [['i <= to; i++) total += i', 'i <= to; i++) total += 1']],
    tests: `${T}import { sumRange } from './sumRange';

test('inclusive on both ends', () => {
  assert.equal(sumRange(1, 4), 10);
  assert.equal(sumRange(5, 5), 5);
});
test('negative range', () => {
  assert.equal(sumRange(-2, 2), 0);
  assert.equal(sumRange(-3, -1), -6);
});
test('empty range', () => {
  assert.equal(sumRange(3, 1), 0);
});
`,
  },
  {
    id: 'ts-fix-capitalize-words',
    file: 'src/capitalize.ts',
    entry: 'capitalizeWords',
    bugKind: 'wrong slice',
    reference: `/** Upper-cases the first letter of every space-separated word and leaves the rest as is. */
export function capitalizeWords(text: string): string {
  return text
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
`,
    bugs: [['word.slice(1)', 'word.slice(0)']],
    wrong: [['word.charAt(0).toUpperCase() + word.slice(1)', 'word.toUpperCase()']],
    tests: `${T}import { capitalizeWords } from './capitalize';

test('each word', () => {
  assert.equal(capitalizeWords('hello big world'), 'Hello Big World');
});
test('keeps inner case and spacing', () => {
  assert.equal(capitalizeWords('iPhone  and eBay'), 'IPhone  And EBay');
});
test('empty', () => {
  assert.equal(capitalizeWords(''), '');
});
`,
  },
  {
    id: 'ts-fix-missing-import',
    file: 'src/fileStems.ts',
    entry: 'uniqueStems',
    bugKind: 'missing import',
    reference: `import { stem } from './lib/text';

/** The distinct file names without folders and extensions, in first-seen order. */
export function uniqueStems(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const p of paths) seen.add(stem(p));
  return [...seen];
}
`,
    bugs: [["import { stem } from './lib/text';\n\n", '']],
    wrong: [['seen.add(stem(p))', 'seen.add(p)']],
    tests: `${T}import { uniqueStems } from './fileStems';

test('strips folders and extensions, dedupes', () => {
  assert.deepEqual(uniqueStems(['a/b/report.pdf', 'report.txt', 'notes.md', 'x/notes']), ['report', 'notes']);
});
test('dotfiles keep their name', () => {
  assert.deepEqual(uniqueStems(['.env', 'dir/.env']), ['.env']);
});
`,
  },
  {
    id: 'ts-fix-misspelled-name',
    file: 'src/vowels.ts',
    entry: 'countVowels',
    bugKind: 'misspelled name',
    reference: `const vowels = new Set(['a', 'e', 'i', 'o', 'u']);

/** How many letters of the text are vowels (a, e, i, o, u), ignoring case. */
export function countVowels(text: string): number {
  let count = 0;
  for (const ch of text.toLowerCase()) {
    if (vowels.has(ch)) count++;
  }
  return count;
}
`,
    bugs: [['if (vowels.has(ch))', 'if (vowles.has(ch))']],
    wrong: [['for (const ch of text.toLowerCase())', 'for (const ch of text)']],
    tests: `${T}import { countVowels } from './vowels';

test('lower case', () => {
  assert.equal(countVowels('banana'), 3);
});
test('ignores case', () => {
  assert.equal(countVowels('AEIOU xyz'), 5);
});
test('none', () => {
  assert.equal(countVowels('rhythm'), 0);
});
`,
  },
  {
    id: 'ts-fix-leap-year',
    file: 'src/leapYear.ts',
    entry: 'isLeapYear',
    bugKind: 'wrong operator',
    reference: `/** Gregorian leap year: divisible by 4, except centuries that are not divisible by 400. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
`,
    bugs: [['year % 4 === 0 && (', 'year % 4 === 0 || (']],
    wrong: [[' && (year % 100 !== 0 || year % 400 === 0)', '']],
    tests: `${T}import { isLeapYear } from './leapYear';

test('ordinary years', () => {
  assert.equal(isLeapYear(2024), true);
  assert.equal(isLeapYear(2023), false);
  assert.equal(isLeapYear(2019), false);
});
test('centuries', () => {
  assert.equal(isLeapYear(1900), false);
  assert.equal(isLeapYear(2000), true);
  assert.equal(isLeapYear(2100), false);
});
`,
  },
  {
    id: 'ts-fix-average-type',
    file: 'src/average.ts',
    entry: 'average',
    bugKind: 'type error',
    reference: `/** The arithmetic mean of the values, or 0 for an empty list. */
export function average(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}
`,
    bugs: [['for (const v of values) total += v;', 'for (const v of values) total += v.toString();']],
    wrong: [['return total / values.length;', 'return total / (values.length + 1);']],
    tests: `${T}import { average } from './average';

test('mean', () => {
  assert.equal(average([1, 2, 3, 4]), 2.5);
  assert.equal(average([10, 20]), 15);
});
test('single and empty', () => {
  assert.equal(average([7]), 7);
  assert.equal(average([]), 0);
});
`,
  },
  {
    id: 'ts-fix-max-by-negative',
    file: 'src/maxBy.ts',
    entry: 'maxBy',
    bugKind: 'wrong edge case',
    reference: `/** The item with the highest score (the first one on ties), or undefined for an empty list. */
export function maxBy<T>(items: readonly T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const item of items) {
    const s = score(item);
    if (best === undefined || s > bestScore) {
      best = item;
      bestScore = s;
    }
  }
  return best;
}
`,
    bugs: [
      ['let bestScore = -Infinity;', 'let bestScore = 0;'],
      ['if (best === undefined || s > bestScore)', 'if (s > bestScore)'],
    ],
    wrong: [['s > bestScore)', 's >= bestScore)']],
    tests: `${T}import { maxBy } from './maxBy';

test('highest score', () => {
  assert.equal(maxBy(['aa', 'a', 'aaa'], (s) => s.length), 'aaa');
});
test('all scores negative', () => {
  assert.equal(maxBy([-5, -2, -9], (n) => n), -2);
});
test('first one wins ties', () => {
  assert.deepEqual(maxBy([{ id: 1, v: 3 }, { id: 2, v: 3 }], (o) => o.v), { id: 1, v: 3 });
});
test('empty', () => {
  assert.equal(maxBy([], () => 1), undefined);
});
`,
  },
  {
    id: 'ts-fix-reverse-words',
    file: 'src/reverseWords.ts',
    entry: 'reverseWords',
    bugKind: 'wrong edge case',
    reference: `/** The words of the text in reverse order, joined by single spaces; extra whitespace is dropped. */
export function reverseWords(text: string): string {
  return text
    .split(/\\s+/)
    .filter((w) => w.length > 0)
    .reverse()
    .join(' ');
}
`,
    bugs: [["    .split(/\\s+/)\n    .filter((w) => w.length > 0)\n", "    .split(' ')\n"]],
    wrong: [['    .reverse()\n', '']],
    tests: `${T}import { reverseWords } from './reverseWords';

test('reverses', () => {
  assert.equal(reverseWords('one two three'), 'three two one');
});
test('collapses whitespace', () => {
  assert.equal(reverseWords('  alpha   beta\\tgamma  '), 'gamma beta alpha');
});
test('blank', () => {
  assert.equal(reverseWords('   '), '');
});
`,
  },
  {
    id: 'ts-fix-pluralize',
    file: 'src/pluralize.ts',
    entry: 'pluralize',
    bugKind: 'wrong comparison',
    reference: `/** "1 file", "0 files", "3 files": adds "s" unless the count is exactly 1. */
export function pluralize(count: number, noun: string): string {
  return count + ' ' + (count === 1 ? noun : noun + 's');
}
`,
    bugs: [['(count === 1 ? noun : noun + \'s\')', "(count > 1 ? noun + 's' : noun)"]],
    wrong: [["count === 1 ? noun : noun + 's'", "count === 1 ? noun + 's' : noun"]],
    tests: `${T}import { pluralize } from './pluralize';

test('one', () => {
  assert.equal(pluralize(1, 'file'), '1 file');
});
test('zero and many', () => {
  assert.equal(pluralize(0, 'file'), '0 files');
  assert.equal(pluralize(12, 'bug'), '12 bugs');
});
`,
  },
  {
    id: 'ts-fix-unique-by',
    file: 'src/uniqueBy.ts',
    entry: 'uniqueBy',
    bugKind: 'type error',
    reference: `/** Keeps the first item for each key, in the original order. */
export function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
`,
    bugs: [['    seen.add(key);\n', '    seen.add(item);\n']],
    wrong: [['    if (seen.has(key)) continue;\n', '']],
    tests: `${T}import { uniqueBy } from './uniqueBy';

test('first item per key wins', () => {
  const people = [
    { name: 'Ann', team: 'red' },
    { name: 'Bo', team: 'blue' },
    { name: 'Cy', team: 'red' },
  ];
  assert.deepEqual(
    uniqueBy(people, (p) => p.team).map((p) => p.name),
    ['Ann', 'Bo'],
  );
});
test('strings by lower case', () => {
  assert.deepEqual(uniqueBy(['A', 'b', 'a', 'B', 'c'], (s) => s.toLowerCase()), ['A', 'b', 'c']);
});
`,
  },
  {
    id: 'ts-fix-parse-port',
    file: 'src/parsePort.ts',
    entry: 'parsePort',
    bugKind: 'missing return',
    reference: `/** A TCP port from text: an integer 1-65535 with nothing else around it, or null. */
export function parsePort(text: string): number | null {
  if (!/^\\d+$/.test(text)) return null;
  const port = Number(text);
  if (port < 1 || port > 65535) return null;
  return port;
}
`,
    bugs: [['  if (!/^\\d+$/.test(text)) return null;\n', '  if (!/^\\d+$/.test(text)) null;\n']],
    wrong: [['  if (port < 1 || port > 65535) return null;\n', '']],
    tests: `${T}import { parsePort } from './parsePort';

test('valid ports', () => {
  assert.equal(parsePort('80'), 80);
  assert.equal(parsePort('65535'), 65535);
});
test('out of range', () => {
  assert.equal(parsePort('0'), null);
  assert.equal(parsePort('70000'), null);
});
test('not a plain integer', () => {
  assert.equal(parsePort('8o'), null);
  assert.equal(parsePort(' 80'), null);
  assert.equal(parsePort('-1'), null);
  assert.equal(parsePort(''), null);
});
`,
  },
  {
    id: 'ts-fix-truncate',
    file: 'src/truncate.ts',
    entry: 'truncate',
    bugKind: 'off-by-one',
    reference: `/**
 * Shortens text to at most \`max\` characters. When it has to cut, the result ends with "…" and
 * the ellipsis counts towards \`max\`. Text that already fits is returned unchanged.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)) + '…';
}
`,
    bugs: [['text.slice(0, Math.max(0, max - 1))', 'text.slice(0, max)']],
    wrong: [['if (text.length <= max) return text;', 'if (text.length < max) return text;']],
    tests: `${T}import { truncate } from './truncate';

test('fits', () => {
  assert.equal(truncate('hello', 5), 'hello');
  assert.equal(truncate('hi', 10), 'hi');
});
test('cut with ellipsis inside the limit', () => {
  assert.equal(truncate('hello world', 6), 'hello…');
  assert.equal(truncate('hello world', 6).length, 6);
});
test('tiny limit', () => {
  assert.equal(truncate('abc', 1), '…');
});
`,
  },
  {
    id: 'ts-fix-rotate',
    file: 'src/rotate.ts',
    entry: 'rotateLeft',
    bugKind: 'wrong edge case',
    reference: `/**
 * Rotates the array left by k places (negative k rotates right; k may exceed the length).
 * Returns a new array; an empty array stays empty.
 */
export function rotateLeft<T>(items: readonly T[], k: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const shift = ((k % n) + n) % n;
  return items.map((_, i) => items[(i + shift) % n] as T);
}
`,
    bugs: [['const shift = ((k % n) + n) % n;', 'const shift = k % n;']],
    wrong: [['items[(i + shift) % n]', 'items[(i - shift + n) % n]']],
    tests: `${T}import { rotateLeft } from './rotate';

test('left by k', () => {
  assert.deepEqual(rotateLeft([1, 2, 3, 4, 5], 2), [3, 4, 5, 1, 2]);
});
test('k larger than length', () => {
  assert.deepEqual(rotateLeft([1, 2, 3], 4), [2, 3, 1]);
});
test('negative k rotates right', () => {
  assert.deepEqual(rotateLeft([1, 2, 3], -1), [3, 1, 2]);
  assert.deepEqual(rotateLeft([1, 2, 3], -4), [3, 1, 2]);
});
test('empty', () => {
  assert.deepEqual(rotateLeft([], 3), []);
});
`,
  },
  {
    id: 'ts-fix-missing-await',
    file: 'src/totalSize.ts',
    entry: 'totalSize',
    bugKind: 'type error (missing await)',
    reference: `/** Adds up the sizes reported for each id, asking for them one at a time. */
export async function totalSize(ids: readonly string[], sizeOf: (id: string) => Promise<number>): Promise<number> {
  let total = 0;
  for (const id of ids) {
    total += await sizeOf(id);
  }
  return total;
}
`,
    bugs: [['total += await sizeOf(id);', 'total += sizeOf(id);']],
    wrong: [['total += await sizeOf(id);', 'total = await sizeOf(id);']],
    tests: `${T}import { totalSize } from './totalSize';

test('sums awaited sizes', async () => {
  const sizes: Record<string, number> = { a: 10, b: 5, c: 1 };
  assert.equal(await totalSize(['a', 'b', 'c'], async (id) => sizes[id] ?? 0), 16);
});
test('no ids', async () => {
  assert.equal(await totalSize([], async () => 99), 0);
});
`,
  },
  {
    id: 'ts-fix-csv-quotes',
    file: 'src/csvLine.ts',
    entry: 'parseCsvLine',
    bugKind: 'logic (escaped quotes)',
    reference: `/**
 * Splits one CSV line into fields. Fields may be wrapped in double quotes, which lets them
 * contain commas; inside quotes a doubled quote ("") stands for one quote character.
 */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}
`,
    bugs: [
      [
        `      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {`,
        `      if (ch === '"') {`,
      ],
    ],
    wrong: [['  fields.push(field);\n  return fields;', '  return fields;']],
    tests: `${T}import { parseCsvLine } from './csvLine';

test('plain fields', () => {
  assert.deepEqual(parseCsvLine('a,b,,c'), ['a', 'b', '', 'c']);
});
test('quoted commas', () => {
  assert.deepEqual(parseCsvLine('"x, y",z'), ['x, y', 'z']);
});
test('doubled quotes inside quotes', () => {
  assert.deepEqual(parseCsvLine('"say ""hi""",ok'), ['say "hi"', 'ok']);
});
`,
  },
];
