import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { extractJson, parseJsonReport } from '../../../src/agent/validators/tests/jsonReporters';
import { findRelatedTests } from '../../../src/agent/validators/tests/relatedTests';
import { looksLikeTap, parseTap } from '../../../src/agent/validators/tests/tapParser';
import { nodeMajorMinor, planTests } from '../../../src/agent/validators/tests/testPlan';

/** Node 24's TAP for a failing test, a failing test in a suite, and a passing one. */
const TAP_NESTED = `TAP version 13
# Subtest: adds two numbers
not ok 1 - adds two numbers
  ---
  duration_ms: 12.07
  type: 'test'
  location: '/p/test/math.test.mjs:4:1'
  failureType: 'testCodeFailure'
  error: |-
    one plus two is three
    
    -1 !== 3
    
  code: 'ERR_ASSERTION'
  name: 'AssertionError'
  expected: 3
  actual: -1
  operator: 'strictEqual'
  stack: |-
    TestContext.<anonymous> (file:///p/test/math.test.mjs:5:10)
  ...
# Subtest: group
    # Subtest: deep
    not ok 1 - deep
      ---
      duration_ms: 1.49
      type: 'test'
      location: '/p/test/math.test.mjs:8:3'
      failureType: 'testCodeFailure'
      error: |-
        Expected values to be strictly deep-equal:
        + actual - expected
        
          {
        +   a: 0
        -   a: 2
          }
      code: 'ERR_ASSERTION'
      name: 'AssertionError'
      expected:
        a: 2
      actual:
        a: 0
      operator: 'deepStrictEqual'
      stack: |-
        add (file:///p/src/math.mjs:2:22)
        TestContext.<anonymous> (file:///p/test/math.test.mjs:8:29)
      ...
    # Subtest: ok
    ok 2 - ok
      ---
      duration_ms: 0.16
      type: 'test'
      ...
    1..2
not ok 2 - group
  ---
  duration_ms: 2.1
  type: 'suite'
  location: '/p/test/math.test.mjs:7:1'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  code: 'ERR_TEST_FAILURE'
  ...
1..2
# tests 3
# suites 1
# pass 1
# fail 2
# cancelled 0
# skipped 0
# todo 0
# duration_ms 229.65
`;

/** Node 20's TAP when the code under test does not even load. */
const TAP_FILE_FAILED = `TAP version 13
# file:///p/src/math.mjs:1
# export function add(a, b) { return a +; }
#                                       ^
# SyntaxError: Unexpected token ';'
# Node.js v20.20.2
# Subtest: /p/test/math.test.mjs
not ok 1 - /p/test/math.test.mjs
  ---
  duration_ms: 378.1
  location: '/p/test/math.test.mjs:1:1'
  failureType: 'testCodeFailure'
  exitCode: 1
  signal: ~
  error: 'test failed'
  code: 'ERR_TEST_FAILURE'
  ...
1..1
# tests 1
# pass 0
# fail 1
`;

describe('parseTap', () => {
  it('keeps the innermost failures with full names, full messages, expected/actual and stacks', () => {
    assert.ok(looksLikeTap(TAP_NESTED));
    const failures = parseTap(TAP_NESTED);
    assert.deepEqual(
      failures.map((f) => f.name),
      ['adds two numbers', 'group > deep'],
    );
    assert.equal(failures[0]?.message, 'one plus two is three\n\n-1 !== 3\nexpected: 3\nactual: -1');
    assert.equal(
      failures[1]?.message,
      [
        'Expected values to be strictly deep-equal:',
        '+ actual - expected',
        '',
        '  {',
        '+   a: 0',
        '-   a: 2',
        '  }',
        'expected: a: 2',
        'actual: a: 0',
      ].join('\n'),
    );
    assert.match(failures[1]?.stack ?? '', /^add \(file:\/\/\/p\/src\/math\.mjs:2:22\)/);
  });

  it('reports a test file that did not run with the output it printed', () => {
    const failures = parseTap(TAP_FILE_FAILED);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.name, '/p/test/math.test.mjs');
    assert.match(failures[0]?.message ?? '', /^The test file did not run to completion \(exit code 1\):\n/);
    assert.match(failures[0]?.message ?? '', /SyntaxError: Unexpected token ';'/);
    assert.ok(!(failures[0]?.message ?? '').includes('# tests'));
  });

  it('is not fooled by output that is not TAP', () => {
    assert.equal(looksLikeTap('Error: something broke\n  at x'), false);
    assert.deepEqual(parseTap('ok 1 - fine\n1..1\n'), []);
  });
});

describe('parseJsonReport', () => {
  it("reads Vitest's (Jest-compatible) JSON, including a file that failed to load", () => {
    const doc = {
      numFailedTests: 1,
      testResults: [
        {
          name: '/p/src/cart.test.ts',
          status: 'failed',
          message: '',
          assertionResults: [
            {
              ancestorTitles: ['cart', 'total'],
              title: 'sums prices',
              fullName: 'cart total sums prices',
              status: 'failed',
              failureMessages: [
                'AssertionError: expected 3 to be 4 // Object.is equality\n\n- Expected\n+ Received\n\n- 4\n+ 3\n    at /p/src/cart.ts:7:11\n    at /p/src/cart.test.ts:5:5',
              ],
            },
            { ancestorTitles: ['cart'], title: 'passes', status: 'passed', failureMessages: [] },
          ],
        },
        {
          name: '/p/src/other.test.ts',
          status: 'failed',
          message: 'SyntaxError: Unexpected token (3:9)',
          assertionResults: [],
        },
      ],
    };
    const failures = parseJsonReport(`stdout noise from a test\n${JSON.stringify(doc)}\n`);
    assert.deepEqual(
      failures?.map((f) => f.name),
      ['cart > total > sums prices', '/p/src/other.test.ts'],
    );
    assert.equal(
      failures?.[0]?.message,
      'AssertionError: expected 3 to be 4 // Object.is equality\n\n- Expected\n+ Received\n\n- 4\n+ 3',
    );
    assert.match(failures?.[0]?.stack ?? '', /\/p\/src\/cart\.ts:7:11/);
    assert.equal(failures?.[1]?.message, 'SyntaxError: Unexpected token (3:9)');
  });

  it("reads Mocha's JSON with expected and actual", () => {
    const doc = {
      stats: { failures: 1 },
      tests: [],
      passes: [],
      failures: [
        {
          title: 'adds',
          fullTitle: 'math adds',
          err: {
            message: 'Expected 3 to equal 4',
            stack: 'AssertionError: x\n    at f (/p/m.js:2:3)',
            expected: '4',
            actual: '3',
          },
        },
      ],
    };
    const failures = parseJsonReport(JSON.stringify(doc, null, 2));
    assert.deepEqual(failures, [
      {
        name: 'math adds',
        message: 'Expected 3 to equal 4\nexpected: 4\nactual: 3',
        stack: 'AssertionError: x\n    at f (/p/m.js:2:3)',
      },
    ]);
  });

  it('finds a JSON document between other output, and nothing in plain text', () => {
    assert.deepEqual(extractJson('log line\n{"a":1}\ntrailing words'), { a: 1 });
    assert.equal(parseJsonReport('no json here'), undefined);
    assert.equal(parseJsonReport('{"something": "else"}'), undefined);
  });
});

describe('findRelatedTests and planTests', () => {
  let dir: string;
  const touch = (rel: string, text = '') => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anneal-related-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds tests beside the file, in __tests__, and under test/ or tests/', () => {
    const file = touch('src/cart/cart.ts');
    const expected = [
      touch('src/cart/cart.test.ts'),
      touch('src/cart/cart.spec.js'),
      touch('src/cart/__tests__/cart.ts'),
      touch('test/cart/cart.test.mjs'),
      touch('tests/cart.spec.ts'),
      touch('test/cart.ts'),
    ].sort();
    touch('src/cart/cartography.test.ts');
    touch('node_modules/x/test/cart.test.js');
    touch('test/fixtures/cart.test.js');
    assert.deepEqual(findRelatedTests(dir, file), expected);
    const testFile = join(dir, 'src/cart/cart.test.ts');
    assert.deepEqual(findRelatedTests(dir, testFile), [testFile], 'a test file is its own test');
    assert.deepEqual(findRelatedTests(dir, touch('src/alone.ts')), []);
  });

  it('chooses npm test, vitest, mocha or node --test as the project calls for', () => {
    const file = touch('src/a.mjs');
    touch('src/a.test.mjs');
    touch('package.json', JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    const node = planTests(dir, file, { nodeVersion: 'v20.20.2' });
    assert.equal(node.kind === 'run' && node.plan.display, 'node --test --test-reporter=tap src/a.test.mjs');

    touch('package.json', JSON.stringify({ scripts: { test: 'node --test' } }));
    const npm = planTests(dir, file, { nodeVersion: 'v20.20.2' });
    assert.equal(npm.kind === 'run' && npm.plan.display, 'npm test --silent');

    touch('package.json', JSON.stringify({ devDependencies: { vitest: '^3' } }));
    const vitest = planTests(dir, file, { nodeVersion: 'v20.20.2' });
    assert.equal(vitest.kind, 'cannotRun', 'vitest declared but not installed');
    touch('node_modules/.bin/vitest', '#!/bin/sh\n');
    const vitestRun = planTests(dir, file, { nodeVersion: 'v20.20.2' });
    assert.equal(
      vitestRun.kind === 'run' && vitestRun.plan.display,
      'npx vitest run src/a.test.mjs --reporter=json',
    );

    const configured = planTests(dir, touch('src/none.mjs'), {
      testCommand: ' make check ',
      nodeVersion: 'v20.0.0',
    });
    assert.equal(configured.kind === 'run' && configured.plan.display, 'make check');
  });

  it("strips types with Node's own flag where it has one, and says when it cannot run TS tests", () => {
    const file = touch('src/b.ts');
    touch('src/b.test.ts');
    touch('package.json', '{}');
    const flagged = planTests(dir, file, { nodeVersion: 'v22.12.0' });
    assert.equal(flagged.kind === 'run' && flagged.plan.args[0], '--experimental-strip-types');
    const native = planTests(dir, file, { nodeVersion: 'v24.21.0' });
    assert.equal(native.kind === 'run' && native.plan.args[0], '--test');
    // The temporary folder has no tsx to resolve.
    assert.equal(planTests(dir, file, { nodeVersion: 'v20.20.2' }).kind, 'cannotRun');
    assert.deepEqual(nodeMajorMinor('v23.6.1'), [23, 6]);
  });
});
