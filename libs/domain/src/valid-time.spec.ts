import { InvalidValue } from './errors';
import {
  assertDate,
  assertTimeValue,
  endInstant,
  formatInstant,
  isDate,
  isDateTime,
  isTimeValue,
  startInstant,
  utcDate,
} from './valid-time';

/** The built-in parser as an independent oracle, only for forms it reads unambiguously. */
const at = (iso: string): number => Date.parse(iso);

describe('valid time', () => {
  describe('which forms are accepted', () => {
    it.each([
      ['2025-02-26', 'a date'],
      ['2024-02-29', 'a leap day'],
      ['2000-02-29', 'a leap day in a year divisible by 400'],
      ['0001-01-01', 'a year below 100'],
      ['2025-12-31', 'the last day of a year'],
    ])('accepts %s (%s) as a date', (s) => {
      expect(isDate(s)).toBe(true);
      expect(isDateTime(s)).toBe(false);
      expect(isTimeValue(s)).toBe(true);
    });

    it.each([
      ['2025-02-26T14:30:00Z', 'UTC'],
      ['2025-02-26T14:30:00+01:00', 'a positive offset'],
      ['2025-02-26T14:30:00-05:00', 'a negative offset'],
      ['2025-02-26T14:30:00.123Z', 'milliseconds'],
      ['2025-02-26T14:30:00.5+01:00', 'one fractional digit'],
      ['2025-02-26T00:00:00+14:00', 'the largest offset'],
      ['2025-02-26T23:59:59-14:00', 'the smallest offset'],
      ['2025-02-26T12:00:00+05:45', 'an offset with minutes'],
    ])('accepts %s (%s) as a date-time', (s) => {
      expect(isDateTime(s)).toBe(true);
      expect(isDate(s)).toBe(false);
      expect(isTimeValue(s)).toBe(true);
    });

    it.each([
      ['', 'the empty string'],
      ['2025-02-30', 'a day that February does not have'],
      ['2025-02-29', 'a leap day in a common year'],
      ['1900-02-29', 'a leap day in a century not divisible by 400'],
      ['2025-13-01', 'month 13'],
      ['2025-00-10', 'month 0'],
      ['2025-04-31', 'April 31'],
      ['2025-2-3', 'unpadded month and day'],
      ['25-02-26', 'a two-digit year'],
      ['2025/02/26', 'slashes'],
      ['20250226', 'the basic format'],
      [' 2025-02-26', 'a leading space'],
      ['2025-02-26\n', 'a trailing newline'],
      ['2025-02-26T14:30Z', 'no seconds'],
      ['2025-02-26T14:30:00', 'no offset'],
      ['2025-02-26T14:30:00.123', 'fractional seconds but no offset'],
      ['2025-02-26 14:30:00Z', 'a space instead of T'],
      ['2025-02-26t14:30:00z', 'lowercase t and z'],
      ['2025-02-26T24:00:00Z', 'hour 24'],
      ['2025-02-26T14:60:00Z', 'minute 60'],
      ['2025-02-26T14:30:60Z', 'a leap second'],
      ['2025-02-26T14:30:00.Z', 'a dot without digits'],
      ['2025-02-26T14:30:00+15:00', 'an offset beyond +14:00'],
      ['2025-02-26T14:30:00-15:00', 'an offset beyond -14:00'],
      ['2025-02-26T14:30:00+14:30', 'an offset just beyond +14:00'],
      ['2025-02-26T14:30:00+01:60', 'offset minute 60'],
      ['2025-02-26T14:30:00+0100', 'an offset without a colon'],
      ['2025-02-26T14:30:00+01', 'an offset without minutes'],
      ['2025-02-30T14:30:00Z', 'a date-time on a day that does not exist'],
      ['Wed, 26 Feb 2025 14:30:00 GMT', 'an HTTP date, which Date.parse accepts'],
    ])('rejects %j (%s)', (s) => {
      expect(isTimeValue(s)).toBe(false);
      expect(() => startInstant(s)).toThrow(InvalidValue);
      expect(() => endInstant(s)).toThrow(InvalidValue);
    });

    it('rejects what is not a string', () => {
      expect(isTimeValue(undefined)).toBe(false);
      expect(isTimeValue(20250226)).toBe(false);
    });
  });

  describe('which instants a value stands for', () => {
    it('given a bare date, when asked where it begins and ends, then it covers its whole UTC day', () => {
      expect(formatInstant(startInstant('2025-02-26'))).toBe('2025-02-26T00:00:00.000Z');
      expect(formatInstant(endInstant('2025-02-26'))).toBe('2025-02-26T23:59:59.999Z');
    });

    it('given a date-time, then it begins and ends at the instant it names', () => {
      expect(startInstant('2025-02-26T14:30:00Z')).toBe(at('2025-02-26T14:30:00Z'));
      expect(endInstant('2025-02-26T14:30:00Z')).toBe(at('2025-02-26T14:30:00Z'));
    });

    it('given an offset, then the instant is the UTC one: 10:30+01:00 is 09:30Z', () => {
      expect(formatInstant(startInstant('2025-02-26T10:30:00+01:00'))).toBe('2025-02-26T09:30:00.000Z');
      expect(formatInstant(startInstant('2025-02-26T12:15:00+05:45'))).toBe('2025-02-26T06:30:00.000Z');
    });

    it('given a negative offset late in the evening, then the instant falls on the next UTC day', () => {
      const instant = startInstant('2025-02-26T23:30:00-05:00');
      expect(formatInstant(instant)).toBe('2025-02-27T04:30:00.000Z');
      expect(utcDate(instant)).toBe('2025-02-27');
      expect(instant).toBeGreaterThan(endInstant('2025-02-26'));
    });

    it('given the same instant written with two offsets, then they compare equal', () => {
      expect(startInstant('2025-02-26T14:30:00+01:00')).toBe(startInstant('2025-02-26T08:30:00-05:00'));
    });

    it('given fractional seconds, then milliseconds count', () => {
      expect(formatInstant(startInstant('2025-02-26T14:30:00.5Z'))).toBe('2025-02-26T14:30:00.500Z');
      expect(formatInstant(startInstant('2025-02-26T14:30:00.123Z'))).toBe('2025-02-26T14:30:00.123Z');
    });

    it.each(['2025-02-26T14:30:00.1234Z', '2025-02-26T14:30:00.123456789Z', '2025-02-26T14:30:00.1239+01:00'])(
      'refuses %s: more than three fractional digits would be cut, and tie with or precede the time it names',
      (s) => {
        expect(isDateTime(s)).toBe(false);
        expect(() => startInstant(s, 'at')).toThrow(expect.objectContaining({ field: 'at' }));
      },
    );

    it('given a year below 100, then it is not mistaken for 19xx', () => {
      expect(formatInstant(startInstant('0045-03-01'))).toBe('0045-03-01T00:00:00.000Z');
    });

    it('given a leap day, then it is that day, not the first of March', () => {
      expect(utcDate(startInstant('2024-02-29T12:00:00Z'))).toBe('2024-02-29');
    });
  });

  describe('errors', () => {
    it('when a value is malformed, then the error is an InvalidValue naming the field and the forms', () => {
      const error = captured(() => startInstant('2025-02-26T14:30:00', 'at'));
      expect(error).toBeInstanceOf(InvalidValue);
      expect(error).toMatchObject({ code: 'INVALID_VALUE', kind: 'invalid', field: 'at' });
      expect((error as Error).message).toContain('2025-02-26T14:30:00');
    });

    it('assertTimeValue passes either form and refuses anything else', () => {
      expect(() => assertTimeValue('2025-02-26', 'statedOn')).not.toThrow();
      expect(() => assertTimeValue('2025-02-26T14:30:00Z', 'statedOn')).not.toThrow();
      expect(() => assertTimeValue('yesterday', 'statedOn')).toThrow(InvalidValue);
      expect(() => assertTimeValue(null, 'statedOn')).toThrow(InvalidValue);
    });

    it('assertDate passes only a date', () => {
      expect(() => assertDate('2025-02-26', 'publishedOn')).not.toThrow();
      expect(() => assertDate('2025-02-26T14:30:00Z', 'publishedOn')).toThrow(InvalidValue);
    });

    it('formatInstant refuses what is not an instant', () => {
      expect(() => formatInstant(Number.NaN)).toThrow(InvalidValue);
    });
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
