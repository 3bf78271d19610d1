import { InvalidValue } from '@positions/domain';
import { KNOWN_NOW } from '@positions/projections';
import { timeOf } from './answer-support';

const NOW = '2025-03-01T12:00:00.000Z';

describe('timeOf: `at` and `knownAt` as every query reads them', () => {
  it('given neither, then both are now, and knownAt means every record time', () =>
    expect(timeOf(NOW)).toEqual({ at: NOW, knownAt: NOW, atMs: Date.parse(NOW), knownAtMs: KNOWN_NOW }));

  it('given bare dates, then each means the end of its UTC day, and the answer repeats them as given', () =>
    expect(timeOf(NOW, '2025-02-20', '2025-02-26')).toEqual({
      at: '2025-02-20',
      knownAt: '2025-02-26',
      atMs: Date.parse('2025-02-20T23:59:59.999Z'),
      knownAtMs: Date.parse('2025-02-26T23:59:59.999Z'),
    }));

  it('given a date-time with an offset, then it is the instant it names', () =>
    expect(timeOf(NOW, undefined, '2025-02-26T10:00:00+02:00').knownAtMs).toBe(Date.parse('2025-02-26T08:00:00Z')));

  it.each([
    ['at', ['2025-02-30', undefined]],
    ['knownAt', [undefined, 'yesterday']],
  ] as const)('given a %s that is no date, then it is refused naming that field', (field, [at, knownAt]) => {
    const refusal = (() => {
      try {
        timeOf(NOW, at, knownAt);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(InvalidValue);
    expect(refusal).toMatchObject({ field });
  });
});
