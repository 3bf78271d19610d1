import { InvalidValue } from '@positions/domain';
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from './search-cursor';

describe('search cursor', () => {
  const key = { score: 2, earliestMs: 1_740_000_000_000, statementId: '0193f0a4-7c1e-7000-8000-000000000001' };
  const base = { k: 1_741_000_000_000, s: 1234, f: 'abcdefghijklmnop' };

  it.each<[string, SearchCursor]>([
    ['in a window, after a row', { ...base, a: { window: 5001, key } }],
    ['at the start of a window', { ...base, a: { window: 4001 } }],
    ['without text, after a row', { ...base, a: { key: { ...key, score: null } } }],
  ])('comes back as it was given (%s)', (_name, cursor) => {
    const text = encodeSearchCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSearchCursor(text)).toEqual(cursor);
  });

  const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['not base64url JSON', '***'],
    ['JSON but not a cursor', encoded({ hello: 'world' })],
    ['neither window nor key', encoded({ ...base, a: {} })],
    ['a window that is not a positive whole number', encoded({ ...base, a: { window: 1.5, key } })],
    ['a negative window', encoded({ ...base, a: { window: -3 } })],
    ['a key without an id', encoded({ ...base, a: { window: 3, key: { score: 1, earliestMs: 5 } } })],
    ['a fractional score', encoded({ ...base, a: { key: { ...key, score: 0.5 } } })],
    ['a knownAt that is not a number', encoded({ ...base, k: '2025-01-01', a: { key } })],
  ])('is refused as 400 on cursor when it is %s', (_name, text) => {
    const refusal = (() => {
      try {
        return decodeSearchCursor(text);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(InvalidValue);
    expect(refusal).toMatchObject({ field: 'cursor' });
  });
});
