import { estimatedBytes, StateCache } from './state-cache';

/** A statement of maximum size, as the validators allow it (~7,000 characters of text). */
const bigStatement = (i: number) => ({ statementId: `s${i}`, summary: '€'.repeat(2000), quote: '€'.repeat(5000), source: { title: '€'.repeat(200) } });
const entryOf = (statements: number) => {
  const events = Array.from({ length: statements }, (_, i) => bigStatement(i));
  return { decider: null, state: events, position: statements - 1, bytes: events.reduce((sum, e) => sum + estimatedBytes(e), 0) };
};

describe('the cache of folded states', () => {
  it('estimates a state at no less than the text it holds in memory', () => {
    expect(estimatedBytes(bigStatement(1))).toBeGreaterThanOrEqual(2 * 7200);
  });

  it('given many large states, then its estimate never passes the bound, and the least recently used go first', () => {
    const cache = new StateCache(2 * 1024 * 1024);
    for (let i = 0; i < 200; i++) {
      cache.set(`stream-${i}`, entryOf(10));
      // Stream 0 is asked for all the time; the others once.
      expect(cache.get('stream-0')).toBeDefined();
      expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    }
    expect(cache.size).toBeGreaterThan(5);
    expect(cache.size).toBeLessThan(200);
    expect(cache.get('stream-1')).toBeUndefined();
    expect(cache.get('stream-199')).toBeDefined();
  });

  it('given a stream folded again, then its old state no longer counts', () => {
    const cache = new StateCache(1024 * 1024);
    cache.set('a', entryOf(5));
    cache.set('a', entryOf(6));
    expect(cache.bytes).toBe(entryOf(6).bytes);
    expect(cache.size).toBe(1);
  });

  it('given a state larger than the whole bound, then it is not kept and the others stay', () => {
    const cache = new StateCache(1024 * 1024);
    cache.set('small', entryOf(1));
    cache.set('huge', entryOf(100));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('small')).toBeDefined();
    expect(cache.bytes).toBe(entryOf(1).bytes);
  });
});
