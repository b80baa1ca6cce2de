// TypeScript "generate" tasks: a doc comment and signature with a stub body; the model writes the body.
// Fields: id, file, entry, head (doc + signature), body (the reference body), wrongBody (an obvious
// wrong answer's body), tests (node:test file importing the task file), optional pre (lines above).

const T = `import { test } from 'node:test';
import assert from 'node:assert/strict';
`;

export const tsGenerate = [
  {
    id: 'ts-gen-slugify',
    file: 'src/slugify.ts',
    entry: 'slugify',
    head: `/**
 * Turns a title into a URL slug: lower case ASCII letters and digits, every other run of
 * characters becomes one hyphen, and there are no hyphens at either end.
 * Example: "  Hello, World! 2024 " -> "hello-world-2024".
 */
export function slugify(title: string): string`,
    body: `  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
`,
    wrongBody: `  return title.toLowerCase().replace(/ /g, '-');
`,
    tests: `${T}import { slugify } from './slugify';

test('basic title', () => {
  assert.equal(slugify('  Hello, World! 2024 '), 'hello-world-2024');
});
test('runs of punctuation collapse', () => {
  assert.equal(slugify('a -- b__c'), 'a-b-c');
});
test('no hyphen at the ends', () => {
  assert.equal(slugify('***Top***'), 'top');
});
test('empty and symbol-only input', () => {
  assert.equal(slugify(''), '');
  assert.equal(slugify('!!!'), '');
});
`,
  },
  {
    id: 'ts-gen-chunk',
    file: 'src/chunk.ts',
    entry: 'chunk',
    head: `/**
 * Splits items into consecutive groups of \`size\`; the last group holds what is left.
 * Throws a RangeError when size is not a positive integer. The input is not modified.
 */
export function chunk<T>(items: readonly T[], size: number): T[][]`,
    body: `  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
`,
    wrongBody: `  if (size < 1) return [];
  const out: T[][] = [];
  for (let i = 0; i + size <= items.length; i += size) out.push(items.slice(i, i + size));
  return out;
`,
    tests: `${T}import { chunk } from './chunk';

test('even split', () => {
  assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]);
});
test('remainder goes in the last group', () => {
  assert.deepEqual(chunk(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b'], ['c', 'd'], ['e']]);
});
test('empty input', () => {
  assert.deepEqual(chunk([], 3), []);
});
test('bad sizes throw RangeError', () => {
  assert.throws(() => chunk([1], 0), RangeError);
  assert.throws(() => chunk([1], 1.5), RangeError);
});
`,
  },
  {
    id: 'ts-gen-roman',
    file: 'src/roman.ts',
    entry: 'toRoman',
    head: `/**
 * Writes an integer from 1 to 3999 in Roman numerals using subtractive pairs (IV, IX, XL, XC,
 * CD, CM). Throws a RangeError outside that range or for non-integers.
 */
export function toRoman(n: number): string`,
    body: `  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new RangeError('out of range');
  const table: [number, string][] = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let rest = n;
  let out = '';
  for (const [value, glyph] of table) {
    while (rest >= value) {
      out += glyph;
      rest -= value;
    }
  }
  return out;
`,
    wrongBody: `  const table: [number, string][] = [[1000, 'M'], [500, 'D'], [100, 'C'], [50, 'L'], [10, 'X'], [5, 'V'], [1, 'I']];
  let rest = n;
  let out = '';
  for (const [value, glyph] of table) {
    while (rest >= value) {
      out += glyph;
      rest -= value;
    }
  }
  return out;
`,
    tests: `${T}import { toRoman } from './roman';

test('simple numbers', () => {
  assert.equal(toRoman(3), 'III');
  assert.equal(toRoman(58), 'LVIII');
});
test('subtractive pairs', () => {
  assert.equal(toRoman(4), 'IV');
  assert.equal(toRoman(1994), 'MCMXCIV');
  assert.equal(toRoman(3999), 'MMMCMXCIX');
});
test('out of range', () => {
  assert.throws(() => toRoman(0), RangeError);
  assert.throws(() => toRoman(4000), RangeError);
});
`,
  },
  {
    id: 'ts-gen-parse-duration',
    file: 'src/duration.ts',
    entry: 'parseDuration',
    head: `/**
 * Parses a compact duration such as "1h30m", "45s" or "2m5s" into seconds. Units are h, m and s,
 * each at most once and in that order; each unit has a whole number before it. Anything else
 * (empty text, unknown units, spaces, repeated or misordered units) throws a SyntaxError.
 */
export function parseDuration(text: string): number`,
    body: `  const match = /^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$/.exec(text);
  if (!match || text.length === 0) throw new SyntaxError('bad duration: ' + text);
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
`,
    wrongBody: `  let total = 0;
  for (const part of text.match(/\\d+[hms]/g) ?? []) {
    const value = Number(part.slice(0, -1));
    total += part.endsWith('h') ? value * 3600 : part.endsWith('m') ? value * 60 : value;
  }
  return total;
`,
    tests: `${T}import { parseDuration } from './duration';

test('single units', () => {
  assert.equal(parseDuration('45s'), 45);
  assert.equal(parseDuration('2h'), 7200);
});
test('combined units', () => {
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('2m5s'), 125);
  assert.equal(parseDuration('1h0m1s'), 3601);
});
test('invalid text throws SyntaxError', () => {
  for (const bad of ['', '5', '1x', '1m1h', '1h 2m', '1h1h']) {
    assert.throws(() => parseDuration(bad), SyntaxError, bad);
  }
});
`,
  },
  {
    id: 'ts-gen-run-length',
    file: 'src/runLength.ts',
    entry: 'runLengthEncode',
    head: `/**
 * Run-length encodes a string: each run of one repeated character becomes its length followed
 * by the character. Example: "aaabcc" -> "3a1b2c". The empty string encodes to "".
 */
export function runLengthEncode(text: string): string`,
    body: `  let out = '';
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j] === text[i]) j++;
    out += String(j - i) + text[i];
    i = j;
  }
  return out;
`,
    wrongBody: `  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let out = '';
  for (const [ch, n] of counts) out += String(n) + ch;
  return out;
`,
    tests: `${T}import { runLengthEncode } from './runLength';

test('runs', () => {
  assert.equal(runLengthEncode('aaabcc'), '3a1b2c');
});
test('repeated characters in separate runs', () => {
  assert.equal(runLengthEncode('aabaa'), '2a1b2a');
});
test('long run and empty', () => {
  assert.equal(runLengthEncode('zzzzzzzzzzzz'), '12z');
  assert.equal(runLengthEncode(''), '');
});
`,
  },
  {
    id: 'ts-gen-median',
    file: 'src/median.ts',
    entry: 'median',
    head: `/**
 * The median of the values: the middle one after sorting numerically, or the mean of the two
 * middle ones when the count is even. NaN for an empty list. Must not reorder the caller's array.
 */
export function median(values: readonly number[]): number`,
    body: `  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
`,
    wrongBody: `  const sorted = [...values].sort();
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
`,
    tests: `${T}import { median } from './median';

test('odd count, numeric sort', () => {
  assert.equal(median([10, 9, 100]), 10);
});
test('even count averages the middle pair', () => {
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
test('empty is NaN', () => {
  assert.ok(Number.isNaN(median([])));
});
test('input is not reordered', () => {
  const input = [3, 1, 2];
  median(input);
  assert.deepEqual(input, [3, 1, 2]);
});
`,
  },
  {
    id: 'ts-gen-top-words',
    file: 'src/topWords.ts',
    entry: 'topWords',
    head: `/**
 * The \`n\` most frequent words of the text, most frequent first. Words are runs of ASCII letters
 * and apostrophes, compared case-insensitively and returned in lower case. Ties are broken
 * alphabetically.
 */
export function topWords(text: string, n: number): string[]`,
    body: `  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([word]) => word);
`,
    wrongBody: `  const counts = new Map<string, number>();
  for (const word of text.split(' ')) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([word]) => word);
`,
    tests: `${T}import { topWords } from './topWords';

test('counts case-insensitively', () => {
  assert.deepEqual(topWords('The cat and the hat. THE end', 1), ['the']);
});
test('ties are alphabetical', () => {
  assert.deepEqual(topWords('pear apple fig apple pear fig kiwi', 3), ['apple', 'fig', 'pear']);
});
test('punctuation and apostrophes', () => {
  assert.deepEqual(topWords("don't stop, don't! go", 2), ["don't", 'go']);
});
test('n larger than the vocabulary', () => {
  assert.deepEqual(topWords('a b', 5), ['a', 'b']);
});
`,
  },
  {
    id: 'ts-gen-balanced',
    file: 'src/balanced.ts',
    entry: 'isBalanced',
    head: `/**
 * True when every (, [ and { in the text is closed by the matching bracket in the right order.
 * Other characters are ignored.
 */
export function isBalanced(text: string): boolean`,
    body: `  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) return false;
    }
  }
  return stack.length === 0;
`,
    wrongBody: `  let depth = 0;
  for (const ch of text) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
  }
  return depth === 0;
`,
    tests: `${T}import { isBalanced } from './balanced';

test('balanced', () => {
  assert.equal(isBalanced('f(a[1], {b: 2})'), true);
  assert.equal(isBalanced(''), true);
});
test('wrong order or kind', () => {
  assert.equal(isBalanced('(]'), false);
  assert.equal(isBalanced('([)]'), false);
});
test('closing before opening and unclosed', () => {
  assert.equal(isBalanced(')('), false);
  assert.equal(isBalanced('(('), false);
});
`,
  },
  {
    id: 'ts-gen-camel-case',
    file: 'src/camelCase.ts',
    entry: 'toCamelCase',
    head: `/**
 * Converts snake_case, kebab-case or space separated words to camelCase. Separators are runs of
 * "_", "-" or whitespace; the first word is all lower case, later words start with an upper case
 * letter followed by lower case. Example: "user_ID-value" -> "userIdValue".
 */
export function toCamelCase(text: string): string`,
    body: `  const parts = text.split(/[_\\-\\s]+/).filter((p) => p.length > 0);
  return parts
    .map((p, i) => {
      const lower = p.toLowerCase();
      return i === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join('');
`,
    wrongBody: `  return text.replace(/[_-](\\w)/g, (_m, c: string) => c.toUpperCase());
`,
    tests: `${T}import { toCamelCase } from './camelCase';

test('snake and kebab', () => {
  assert.equal(toCamelCase('user_id'), 'userId');
  assert.equal(toCamelCase('max-retry-count'), 'maxRetryCount');
});
test('mixed separators and case', () => {
  assert.equal(toCamelCase('user_ID-value'), 'userIdValue');
  assert.equal(toCamelCase('  Hello   big world '), 'helloBigWorld');
});
test('single word', () => {
  assert.equal(toCamelCase('READY'), 'ready');
});
`,
  },
  {
    id: 'ts-gen-group-by',
    file: 'src/groupBy.ts',
    entry: 'groupBy',
    head: `/**
 * Groups items by the key the function returns. Keys appear in the order they are first met and
 * items keep their original order inside each group.
 */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]>`,
    body: `  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
`,
    wrongBody: `  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [item]);
  return groups;
`,
    tests: `${T}import { groupBy } from './groupBy';

test('groups keep order', () => {
  const g = groupBy(['apple', 'bean', 'avocado', 'beet', 'corn'], (w) => w.charAt(0));
  assert.deepEqual([...g.keys()], ['a', 'b', 'c']);
  assert.deepEqual(g.get('a'), ['apple', 'avocado']);
  assert.deepEqual(g.get('b'), ['bean', 'beet']);
});
test('empty input gives an empty map', () => {
  assert.equal(groupBy([], String).size, 0);
});
`,
  },
  {
    id: 'ts-gen-merge-intervals',
    file: 'src/intervals.ts',
    entry: 'mergeIntervals',
    head: `/**
 * Merges closed intervals [start, end] that overlap or touch (end of one equals start of the
 * next) and returns them sorted by start. The input may be in any order and is not modified.
 */
export function mergeIntervals(ranges: readonly (readonly [number, number])[]): [number, number][]`,
    body: `  const sorted = ranges.map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
`,
    wrongBody: `  const out: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = out[out.length - 1];
    if (last && start < last[1]) last[1] = end;
    else out.push([start, end]);
  }
  return out;
`,
    tests: `${T}import { mergeIntervals } from './intervals';

test('overlapping and unsorted', () => {
  assert.deepEqual(mergeIntervals([[8, 10], [1, 3], [2, 6]]), [[1, 6], [8, 10]]);
});
test('touching intervals merge', () => {
  assert.deepEqual(mergeIntervals([[1, 2], [2, 4]]), [[1, 4]]);
});
test('contained interval keeps the larger end', () => {
  assert.deepEqual(mergeIntervals([[1, 10], [2, 3]]), [[1, 10]]);
});
test('input not modified', () => {
  const input: [number, number][] = [[5, 6], [1, 2]];
  mergeIntervals(input);
  assert.deepEqual(input, [[5, 6], [1, 2]]);
});
`,
  },
  {
    id: 'ts-gen-luhn',
    file: 'src/luhn.ts',
    entry: 'isValidLuhn',
    head: `/**
 * Checks a number with the Luhn checksum. Spaces are ignored; any other non-digit character, or
 * fewer than two digits, makes it invalid.
 */
export function isValidLuhn(text: string): boolean`,
    body: `  const digits = text.replace(/ /g, '');
  if (!/^\\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
`,
    wrongBody: `  let sum = 0;
  for (const ch of text) if (ch >= '0' && ch <= '9') sum += Number(ch);
  return sum % 10 === 0;
`,
    tests: `${T}import { isValidLuhn } from './luhn';

test('valid numbers', () => {
  assert.equal(isValidLuhn('4539 3195 0343 6467'), true);
  assert.equal(isValidLuhn('059'), true);
});
test('invalid checksum', () => {
  assert.equal(isValidLuhn('8273 1232 7352 0569'), false);
  assert.equal(isValidLuhn('4539 3195 0343 6468'), false);
});
test('bad characters and short input', () => {
  assert.equal(isValidLuhn('055a 444 285'), false);
  assert.equal(isValidLuhn('0'), false);
  assert.equal(isValidLuhn(' 0 '), false);
});
`,
  },
  {
    id: 'ts-gen-compare-versions',
    file: 'src/versions.ts',
    entry: 'compareVersions',
    head: `/**
 * Compares dotted version strings part by part as integers: -1 when a < b, 1 when a > b, 0 when
 * equal. Missing parts count as 0, so "1.2" equals "1.2.0".
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1`,
    body: `  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
`,
    wrongBody: `  return a < b ? -1 : a > b ? 1 : 0;
`,
    tests: `${T}import { compareVersions } from './versions';

test('numeric, not lexicographic', () => {
  assert.equal(compareVersions('1.2.10', '1.2.9'), 1);
  assert.equal(compareVersions('1.9', '1.10'), -1);
});
test('missing parts are zero', () => {
  assert.equal(compareVersions('1.2', '1.2.0'), 0);
  assert.equal(compareVersions('2', '1.99.99'), 1);
});
test('equal', () => {
  assert.equal(compareVersions('3.0.1', '3.0.1'), 0);
});
`,
  },
  {
    id: 'ts-gen-fill-template',
    file: 'src/template.ts',
    entry: 'fillTemplate',
    head: `/**
 * Replaces each {{name}} placeholder (spaces allowed inside the braces, e.g. {{ name }}) with the
 * value of that variable. Placeholders naming an unknown variable are left exactly as written.
 */
export function fillTemplate(template: string, vars: Readonly<Record<string, string | number>>): string`,
    body: `  return template.replace(/\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
`,
    wrongBody: `  let out = template;
  for (const [name, value] of Object.entries(vars)) out = out.replace('{{' + name + '}}', String(value));
  return out;
`,
    tests: `${T}import { fillTemplate } from './template';

test('fills every occurrence', () => {
  assert.equal(fillTemplate('{{a}}-{{a}}', { a: 'x' }), 'x-x');
});
test('spaces inside braces and numbers', () => {
  assert.equal(fillTemplate('Hi {{ name }}, you have {{count}} new', { name: 'Ada', count: 3 }), 'Hi Ada, you have 3 new');
});
test('unknown placeholders stay', () => {
  assert.equal(fillTemplate('{{ missing }} and {{toString}}', {}), '{{ missing }} and {{toString}}');
});
`,
  },
  {
    id: 'ts-gen-format-bytes',
    file: 'src/formatBytes.ts',
    entry: 'formatBytes',
    head: `/**
 * Formats a byte count with binary units B, KiB, MiB, GiB, TiB (steps of 1024). Below 1024 it
 * is a whole number of bytes ("512 B"); otherwise the largest unit that keeps the value at least
 * 1, rounded to one decimal, with a trailing ".0" dropped ("1.5 KiB", "1 MiB").
 */
export function formatBytes(bytes: number): string`,
    body: `  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return text + ' ' + units[unit];
`,
    wrongBody: `  if (bytes < 1000) return bytes + ' B';
  return (bytes / 1000).toFixed(1) + ' KiB';
`,
    tests: `${T}import { formatBytes } from './formatBytes';

test('bytes', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
});
test('binary units with one decimal', () => {
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(1024), '1 KiB');
  assert.equal(formatBytes(1048576), '1 MiB');
  assert.equal(formatBytes(5 * 1024 ** 3 + 300 * 1024 ** 2), '5.3 GiB');
});
`,
  },
];
