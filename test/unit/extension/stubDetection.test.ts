import { strict as assert } from 'node:assert';
import { isStubFunction } from '../../../src/extension/target/stubDetection';

describe('stub detection', () => {
  const ts = (body: string) => `export function total(items: Item[]): number {${body}}`;

  it('finds empty and placeholder bodies in brace languages', () => {
    assert.equal(isStubFunction(ts(''), 'typescript'), true);
    assert.equal(isStubFunction(ts('\n  // TODO: sum the prices\n'), 'typescript'), true);
    assert.equal(isStubFunction(ts("\n  throw new Error('not implemented');\n"), 'typescript'), true);
    assert.equal(isStubFunction(ts('\n  return 0;\n'), 'typescript'), true);
    assert.equal(isStubFunction('const f = (a: number): number => {\n}\n', 'typescript'), true);
    assert.equal(isStubFunction('fn total() -> u32 {\n    todo!()\n}', 'rust'), true);
  });

  it('leaves real bodies alone', () => {
    assert.equal(
      isStubFunction(ts('\n  return items.reduce((s, i) => s + i.price, 0);\n'), 'typescript'),
      false,
    );
    assert.equal(isStubFunction('const f = (a: number) => a * 2;', 'typescript'), false);
    assert.equal(
      isStubFunction(ts("\n  if (!items) throw new Error('x');\n  return 1;\n"), 'typescript'),
      false,
    );
  });

  it('finds Python stubs: pass, ..., raise NotImplementedError, docstring only', () => {
    assert.equal(isStubFunction('def total(items):\n    pass\n', 'python'), true);
    assert.equal(isStubFunction('def total(items) -> int:\n    ...\n', 'python'), true);
    assert.equal(
      isStubFunction(
        'def total(items):\n    """Sum the prices."""\n    raise NotImplementedError\n',
        'python',
      ),
      true,
    );
    assert.equal(isStubFunction('def total(items):\n    """Sum the prices."""\n', 'python'), true);
    assert.equal(isStubFunction('def total(items): ...\n', 'python'), true);
    assert.equal(isStubFunction('@cache\ndef total(items):\n    # later\n    pass\n', 'python'), true);
  });

  it('leaves real Python bodies alone', () => {
    assert.equal(
      isStubFunction('def total(items):\n    return sum(i.price for i in items)\n', 'python'),
      false,
    );
    assert.equal(
      isStubFunction('def total(items):\n    """Sum."""\n    return 0 if not items else 1\n', 'python'),
      false,
    );
  });
});
