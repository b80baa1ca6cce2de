import assert from 'node:assert/strict';
import { retryDelayMs } from '../../../src/agent/providers/modelCall';
import { parseRetryAfter } from '../../../src/agent/providers/providerErrors';
import { redactSecrets } from '../../../src/agent/providers/redactSecrets';

describe('retry policy', () => {
  it('parses Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '7' }), now), 7000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now), 500);
    assert.equal(
      parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now),
      30_000,
    );
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now), 0);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(new Headers(), now), undefined);
  });

  it('backs off exponentially with jitter, capped, and honours a capped Retry-After', () => {
    const opts = { baseDelayMs: 1000, maxDelayMs: 5000, random: () => 1 - Number.EPSILON };
    assert.equal(retryDelayMs(1, {}, opts), 1000);
    assert.equal(retryDelayMs(2, {}, opts), 2000);
    assert.equal(retryDelayMs(3, {}, opts), 4000);
    assert.equal(retryDelayMs(4, {}, opts), 5000);
    assert.equal(retryDelayMs(1, {}, { ...opts, random: () => 0 }), 500);
    assert.equal(retryDelayMs(1, { retryAfterMs: 12_000 }, opts), 12_000);
    assert.equal(retryDelayMs(1, { retryAfterMs: 600_000 }, { ...opts, maxRetryAfterMs: 60_000 }), 60_000);
  });
});

describe('redactSecrets', () => {
  it('removes the given secrets and anything shaped like a key', () => {
    const key = 'my-local-server-secret';
    assert.equal(redactSecrets(`bad key ${key}!`, [key]), 'bad key [redacted]!');
    assert.equal(redactSecrets('key sk-proj-abcdefghijklmnopqrstuv was wrong'), 'key [redacted] was wrong');
    assert.equal(redactSecrets('x sk-ant-api03-abcdefghijkl y'), 'x [redacted] y');
    assert.equal(redactSecrets('nothing secret here', [undefined, '', 'abc']), 'nothing secret here');
  });
});
