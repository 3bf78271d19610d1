import { WrongExpectedPositionError } from './event-store.port';
import { DuplicateEventIdError, checkExpected, nextRecordedAt, prepareEvents, toReadAllQuery } from './store-rules';

describe('checkExpected', () => {
  it('passes when the expectation holds or is any', () => {
    expect(() => checkExpected('s', -1, -1)).not.toThrow();
    expect(() => checkExpected('s', 4, 4)).not.toThrow();
    expect(() => checkExpected('s', 'any', 7)).not.toThrow();
  });

  it('throws a WrongExpectedPositionError carrying stream, expected and actual', () => {
    expect(() => checkExpected('s', -1, 0)).toThrow(new WrongExpectedPositionError('s', -1, 0));
    expect(() => checkExpected('s', 2, -1)).toThrow('stream s is at position -1, expected 2');
  });
});

describe('nextRecordedAt', () => {
  it("is the clock's time in ISO UTC with milliseconds", () => {
    expect(nextRecordedAt(new Date('2025-03-01T12:00:00Z'), null)).toBe('2025-03-01T12:00:00.000Z');
    expect(nextRecordedAt(new Date('2025-03-01T12:00:01.5Z'), '2025-03-01T12:00:00.000Z')).toBe('2025-03-01T12:00:01.500Z');
  });

  it('moves one millisecond past the previous recordedAt when the clock is behind it or on it', () => {
    expect(nextRecordedAt(new Date('2025-03-01T11:59:59.999Z'), '2025-03-01T12:00:00.000Z')).toBe('2025-03-01T12:00:00.001Z');
    expect(nextRecordedAt(new Date('2025-03-01T12:00:00.000Z'), '2025-03-01T12:00:00.000Z')).toBe('2025-03-01T12:00:00.001Z');
    expect(nextRecordedAt(new Date('2025-03-01T12:00:00.002Z'), '2025-03-01T12:00:00.000Z')).toBe('2025-03-01T12:00:00.002Z');
  });

  it('refuses an invalid clock reading rather than storing a broken date', () => {
    expect(() => nextRecordedAt(new Date('nonsense'), null)).toThrow(RangeError);
  });
});

describe('prepareEvents', () => {
  it('keeps a given eventId, generates UUIDs otherwise, and serialises data to JSON', () => {
    const [given, fresh] = prepareEvents([
      { eventId: 'import-1', type: 'A', schemaVersion: 2, data: { at: new Date('2025-01-01T00:00:00Z'), gone: undefined } },
      { type: 'B', schemaVersion: 1, data: [1, 'two'] },
    ]);
    expect(given).toEqual({ eventId: 'import-1', type: 'A', schemaVersion: 2, dataJson: '{"at":"2025-01-01T00:00:00.000Z"}' });
    expect(fresh.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fresh.dataJson).toBe('[1,"two"]');
  });

  it('rejects an empty batch, data that is not JSON, and an eventId used twice', () => {
    expect(() => prepareEvents([])).toThrow(RangeError);
    expect(() => prepareEvents([{ type: 'A', schemaVersion: 1, data: undefined }])).toThrow(TypeError);
    const twice = { eventId: 'x', type: 'A', schemaVersion: 1, data: {} };
    expect(() => prepareEvents([twice, twice])).toThrow(DuplicateEventIdError);
  });
});

describe('toReadAllQuery', () => {
  it('fills defaults: from the start, no limit, every type and stream', () => {
    expect(toReadAllQuery()).toEqual({ after: 0, limit: null, types: null, streamId: null });
    expect(toReadAllQuery({ after: 3, limit: 0, types: [], streamId: 's' })).toEqual({ after: 3, limit: 0, types: [], streamId: 's' });
  });

  it('rejects a negative or fractional after or limit', () => {
    expect(() => toReadAllQuery({ after: -1 })).toThrow(RangeError);
    expect(() => toReadAllQuery({ limit: -1 })).toThrow(RangeError);
    expect(() => toReadAllQuery({ limit: 1.5 })).toThrow(RangeError);
  });
});
