import { START } from '@kurrent/kurrentdb-client';
import { UnsupportedLogPositionError, readPositionAfter, toLogPosition, toPortPosition } from './kurrentdb-positions';

describe('KurrentDB positions', () => {
  it('maps an event at {commit = prepare = p} to p + 1, so the first byte of the log is still positive', () => {
    expect(toPortPosition({ commit: 0n, prepare: 0n })).toBe(1);
    expect(toPortPosition({ commit: 4321n, prepare: 4321n })).toBe(4322);
  });

  it('keeps the events of one batch apart and in order: each has its own record offset', () => {
    // What $all reports for a three-event append: one record per event, at increasing offsets.
    const batch = [1000n, 1187n, 1372n].map((offset) => ({ commit: offset, prepare: offset }));
    const positions = batch.map(toPortPosition);
    expect(positions).toEqual([1001, 1188, 1373]);
    expect(positions.map(toLogPosition)).toEqual(batch);
  });

  it('round-trips both ways', () => {
    for (const position of [1, 2, 97, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      expect(toPortPosition(toLogPosition(position))).toBe(position);
    }
  });

  it('refuses events of a legacy explicit transaction, whose commit and prepare differ', () => {
    expect(() => toPortPosition({ commit: 5000n, prepare: 4200n })).toThrow(UnsupportedLogPositionError);
    expect(() => toPortPosition({ commit: 5000n, prepare: 4200n })).toThrow(/explicit transaction/);
  });

  it('refuses offsets that would not fit in a JavaScript number', () => {
    const huge = BigInt(Number.MAX_SAFE_INTEGER);
    expect(() => toPortPosition({ commit: huge, prepare: huge })).toThrow(/does not fit/);
    expect(() => toPortPosition({ commit: -1n, prepare: -1n })).toThrow(UnsupportedLogPositionError);
  });

  it('refuses port positions that are not positive safe integers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => toLogPosition(bad)).toThrow(RangeError);
    }
  });

  it('reads the log after 0 from the start, and after n from the record of the event at n (inclusive read)', () => {
    expect(readPositionAfter(0)).toBe(START);
    expect(readPositionAfter(1188)).toEqual({ commit: 1187n, prepare: 1187n });
  });
});
