import * as assert from 'node:assert/strict';
import {
  findPythonFunction,
  pythonFunctionAt,
  pythonFunctions,
} from '../../../src/agent/engine/pythonSymbols';

const SOURCE = [
  '"""Module docstring with def fake(): inside."""', // 0
  'import functools', // 1
  '', // 2
  '', // 3
  '@functools.lru_cache(maxsize=None)', // 4
  '@staticmethod', // 5
  'def cached(x: int) -> int:', // 6
  '    return x * 2', // 7
  '', // 8
  '', // 9
  'async def fetch(', // 10
  '    url: str,', // 11
  '    timeout: float = 1.0,', // 12
  ') -> dict[str, int]:', // 13
  '    """Fetch it.', // 14
  '', // 15
  '    def not_a_def(): inside a docstring', // 16
  '    """', // 17
  '    data = {', // 18
  "        'a': 1,", // 19
  '    }', // 20
  '    return data', // 21
  '    # trailing comment in body', // 22
  '', // 23
  'class Cart:', // 24
  '    def total(self) -> int:', // 25
  '        def helper(v):', // 26
  '            return v + 1', // 27
  '        return helper(1)', // 28
  '', // 29
  '    def todo(self):', // 30
  '        """Not written yet."""', // 31
  '', // 32
  '    def later(self) -> None:', // 33
  '        raise NotImplementedError("soon")', // 34
  '', // 35
  'def one_liner(): ...', // 36
  'def passes():', // 37
  '    pass', // 38
  'def real_one_liner(): return 1', // 39
  'def text():', // 40
  "    s = '''", // 41
  'def fake():', // 42
  "'''", // 43
  '    return s', // 44
  'def total():', // 45
  '    return 0', // 46
].join('\n');

describe('pythonSymbols', () => {
  it('includes decorators in the range and finds the body', () => {
    const f = findPythonFunction(SOURCE, 'cached');
    assert.deepEqual(
      f && { s: f.startLine, d: f.defLine, b: f.bodyStartLine, e: f.endLine, stub: f.isStub },
      { s: 4, d: 6, b: 7, e: 7, stub: false },
    );
  });

  it('handles async def with a multi-line signature and a docstring holding code', () => {
    const f = findPythonFunction(SOURCE, 'fetch');
    assert.ok(f);
    assert.equal(f.isAsync, true);
    assert.equal(f.startLine, 10);
    assert.equal(f.headerEndLine, 13);
    assert.equal(f.bodyStartLine, 14);
    assert.equal(f.endLine, 21);
    assert.equal(f.isStub, false);
    assert.equal(findPythonFunction(SOURCE, 'not_a_def'), null);
    assert.equal(findPythonFunction(SOURCE, 'fake'), null);
  });

  it('resolves methods and nested functions by qualified name', () => {
    const total = findPythonFunction(SOURCE, 'Cart.total');
    assert.deepEqual(total && [total.startLine, total.endLine, total.indent], [25, 28, 4]);
    const helper = findPythonFunction(SOURCE, 'helper');
    assert.deepEqual(helper && [helper.qualifiedName, helper.startLine, helper.endLine], [
      'Cart.total.helper',
      26,
      27,
    ]);
    // A simple name prefers the top-level definition over the method of the same name.
    assert.equal(findPythonFunction(SOURCE, 'total')?.startLine, 45);
    assert.equal(findPythonFunction(SOURCE, 'Cart.missing'), null);
  });

  it('detects stubs', () => {
    const stubs = pythonFunctions(SOURCE)
      .filter((f) => f.isStub)
      .map((f) => f.qualifiedName);
    assert.deepEqual(stubs, ['Cart.todo', 'Cart.later', 'one_liner', 'passes']);
    const one = findPythonFunction(SOURCE, 'real_one_liner');
    assert.deepEqual(one && [one.startLine, one.bodyStartLine, one.endLine, one.isStub], [39, 39, 39, false]);
  });

  it('keeps a triple-quoted string that spans lines inside its function', () => {
    const f = findPythonFunction(SOURCE, 'text');
    assert.deepEqual(f && [f.startLine, f.endLine], [40, 44]);
  });

  it('finds the innermost function at a line', () => {
    assert.equal(pythonFunctionAt(SOURCE, 27)?.qualifiedName, 'Cart.total.helper');
    assert.equal(pythonFunctionAt(SOURCE, 28)?.qualifiedName, 'Cart.total');
    assert.equal(pythonFunctionAt(SOURCE, 5)?.name, 'cached');
    assert.equal(pythonFunctionAt(SOURCE, 24), null);
    assert.equal(pythonFunctionAt(SOURCE, 1), null);
  });

  it('copes with CRLF, tabs and a backslash continuation', () => {
    const src = 'def a(x, \\\r\n      y):\r\n\treturn x\r\n\r\ndef b():\r\n\tpass\r\n';
    const a = findPythonFunction(src, 'a');
    assert.deepEqual(a && [a.headerEndLine, a.bodyStartLine, a.endLine], [1, 2, 2]);
    assert.equal(findPythonFunction(src, 'b')?.isStub, true);
  });
});
