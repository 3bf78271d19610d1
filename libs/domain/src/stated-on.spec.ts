import { isStatedOn, recordedRange, statedRange } from './stated-on';
import { utcMs } from './valid-time';

const day = (d: string) => Date.parse(`${d}T00:00:00.000Z`);

describe('statedOn as the sources give it', () => {
  describe('the range of days each form stands for', () => {
    it.each([
      ['2025-02-18', '2025-02-18', '2025-02-18', 'a day'],
      ['2025-02', '2025-02-01', '2025-02-28', 'a month'],
      ['2024-02', '2024-02-01', '2024-02-29', 'a month of a leap year'],
      ['2025', '2025-01-01', '2025-12-31', 'a year'],
      ['2025-02-17/2025-02-23', '2025-02-17', '2025-02-23', 'an interval of days, both ends inclusive'],
      ['2025-02/2025-03', '2025-02-01', '2025-03-31', 'an interval of months'],
      ['2024/2025', '2024-01-01', '2025-12-31', 'an interval of years'],
      ['2025-02-17/2025-02-17', '2025-02-17', '2025-02-17', 'a one-day interval'],
      ['2025-02-18~', '2025-02-18', '2025-02-18', 'an approximate day'],
      ['2025-02?', '2025-02-01', '2025-02-28', 'an uncertain month'],
      ['2025%', '2025-01-01', '2025-12-31', 'an approximate and uncertain year'],
      ['2025-02-17~/2025-02-23?', '2025-02-17', '2025-02-23', 'an interval with qualified ends'],
    ])('%s (%s) runs from %s to %s', (statedOn, first, last) => {
      expect(statedRange(statedOn)).toEqual({ earliest: day(first), latest: day(last) });
    });

    it.each([
      ['2024-02-29', 'the leap day of a leap year'],
      ['0000-01-01', 'the first day of year 0000'],
      ['9999-12-31', 'the last day of year 9999'],
    ])('%s (%s) is a day', (statedOn) => {
      expect(statedRange(statedOn)).toEqual({ earliest: utcMs(Number(statedOn.slice(0, 4)), Number(statedOn.slice(5, 7)), Number(statedOn.slice(8))), latest: expect.any(Number) });
      expect(statedRange(statedOn).latest).toBe(statedRange(statedOn).earliest);
    });

    it('an imprecise form asked again answers the same, whatever the first caller did with its answer', () => {
      const first = statedRange('2023-06');
      first.latest = 0;
      expect(statedRange('2023-06')).toEqual({ earliest: day('2023-06-01'), latest: day('2023-06-30') });
    });

    it('a date-time is the instant it names, as before', () => {
      const instant = Date.parse('2025-02-18T07:30:00.000Z');
      expect(statedRange('2025-02-18T10:30:00+03:00')).toEqual({ earliest: instant, latest: instant });
    });
  });

  describe('what is refused, naming the field', () => {
    it.each([
      ['2025-13', 'no thirteenth month'],
      ['2025-02-30', 'no 30 February'],
      ['2025-02-30/2025-03-01', 'an interval from a day that does not exist'],
      ['2025-02-20/2025-02-10', 'an interval that runs backwards'],
      ['2025-02-17~/2025-02-16', 'a qualified interval that runs backwards'],
      ['2025-02-17/..', 'an open end'],
      ['../2025-02-17', 'an open start'],
      ['2025-02-17/', 'an unknown end'],
      ['2025-21', 'a season (EDTF level 1, not a form we take)'],
      ['2025-XX', 'unspecified digits'],
      ['Y170000', 'a long year'],
      ['-0044', 'a negative year'],
      ['2025-02-18T10:30:00', 'a date-time without an offset'],
      ['2025-02-18T10:30Z', 'a date-time without seconds'],
      ['2025-02-18T10:30:00.1234Z', 'more than three fractional digits'],
      ['2025-02-17T10:00:00Z/2025-02-18', 'an interval with a time in it'],
      ['[2025-02-17,2025-02-19]', 'a set'],
      ['last week', 'words'],
      ['', 'nothing'],
      [' 2025-02-18', 'a leading space'],
    ])('%s (%s)', (statedOn) => {
      expect(isStatedOn(statedOn)).toBe(false);
      expect(() => statedRange(statedOn, 'changes.statedOn')).toThrow(expect.objectContaining({ field: 'changes.statedOn' }));
    });

    it.each([null, 20250218, {}, ['2025']])('refuses %p, which is not a string', (statedOn) => {
      expect(isStatedOn(statedOn)).toBe(false);
    });
  });

  describe('clipped at the moment of recording', () => {
    it('given "last week" recorded mid-week, then the range ends at the moment of recording', () => {
      const recordedAt = Date.parse('2025-02-20T15:00:00.000Z');
      expect(recordedRange('2025-02-17/2025-02-23', recordedAt)).toEqual({ earliest: day('2025-02-17'), latest: recordedAt });
    });

    it('given a range that ended before its recording, then it is unchanged', () => {
      expect(recordedRange('2025-02-17/2025-02-23', Date.parse('2025-02-26T09:00:00Z'))).toEqual({ earliest: day('2025-02-17'), latest: day('2025-02-23') });
    });

    it('given a day recorded during that day, then it is still the start of the day', () => {
      expect(recordedRange('2025-02-26', Date.parse('2025-02-26T09:00:00Z'))).toEqual({ earliest: day('2025-02-26'), latest: day('2025-02-26') });
    });
  });
});
