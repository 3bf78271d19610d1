import { InvalidValue } from './errors';
import type { Recorded } from './event';
import { foldStatements, positionAt, timelineOf } from './position-at';
import type { PositionEvent, StatementFields } from './position.events';
import { endInstant } from './valid-time';

/* A position stream for Donald Trump on russia-sanctions-relief, built entry by entry. */

type Entry = [recordedAt: string, event: PositionEvent];

/** Global positions grow by 10 to show that only their order matters, not contiguity. */
function log(...entries: Entry[]): Recorded<PositionEvent>[] {
  return entries.map(([recordedAt, event], i) => ({ ...event, position: (i + 1) * 10, recordedAt }));
}

function stated(statementId: string, stance: string, statedOn: string): PositionEvent {
  const source = { url: 'https://example.org/2025-02-26-sanctions', title: 'Sanctions article' };
  return { type: 'PositionStated', data: { statementId, stance, statedOn, summary: `${stance} on ${statedOn}`, source } };
}

function corrected(statementId: string, changes: Partial<StatementFields>): PositionEvent {
  return { type: 'StatementCorrected', data: { statementId, changes, reason: 'misreported' } };
}

function retracted(statementId: string): PositionEvent {
  return { type: 'StatementRetracted', data: { statementId, reason: 'misattributed' } };
}

const trumpNotYet = log(['2025-02-27T10:00:00.000Z', stated('s1', 'not-yet', '2025-02-26')]);

describe('positionAt', () => {
  describe('the seed article: Trump states not-yet on 2025-02-26', () => {
    it('when asked at 2025-02-26, then his stance is not-yet, since that day', () => {
      const answer = positionAt(trumpNotYet, '2025-02-26');
      expect(answer).toMatchObject({ stance: 'not-yet', since: '2025-02-26', statement: { statementId: 's1' } });
    });

    it('when asked at 2025-02-25, then there is no known position (not an error)', () => {
      expect(positionAt(trumpNotYet, '2025-02-25')).toEqual({ stance: null, since: null, statement: null, certainty: 'certain', alternatives: [] });
    });

    it('when asked at the first instant of 2025-02-26, then a bare-date statement already counts', () => {
      expect(positionAt(trumpNotYet, '2025-02-26T00:00:00Z').stance).toBe('not-yet');
      expect(positionAt(trumpNotYet, '2025-02-25T23:59:59.999Z').stance).toBeNull();
    });

    it('when asked as known before it was recorded, then there is no known position', () => {
      expect(positionAt(trumpNotYet, '2025-02-26', '2025-02-27T09:59:59.999Z').stance).toBeNull();
      expect(positionAt(trumpNotYet, '2025-02-26', '2025-02-26').stance).toBeNull();
    });

    it('when asked as known on the day it was recorded, then a bare-date knownAt includes the whole day', () => {
      expect(positionAt(trumpNotYet, '2025-02-26', '2025-02-27').stance).toBe('not-yet');
      expect(positionAt(trumpNotYet, '2025-02-26', '2025-02-27T10:00:00.000Z').stance).toBe('not-yet');
    });
  });

  describe('date-times compared as instants', () => {
    const lateEvening = log(['2025-02-28T00:00:00.000Z', stated('s1', 'not-yet', '2025-02-26T23:30:00-05:00')]);

    it('given a statement at 23:30-05:00 on the 26th, when asked at 2025-02-26, then it is not yet stated (it is 04:30Z on the 27th)', () => {
      expect(positionAt(lateEvening, '2025-02-26').stance).toBeNull();
    });

    it('given the same statement, when asked at 2025-02-27, then it counts', () => {
      expect(positionAt(lateEvening, '2025-02-27').stance).toBe('not-yet');
    });

    it('given a statement at 00:30+01:00 on the 27th, when asked at 2025-02-26, then it counts (it is 23:30Z on the 26th)', () => {
      const earlyMorning = log(['2025-02-28T00:00:00.000Z', stated('s1', 'not-yet', '2025-02-27T00:30:00+01:00')]);
      expect(positionAt(earlyMorning, '2025-02-26').stance).toBe('not-yet');
      expect(positionAt(earlyMorning, '2025-02-26T23:29:59Z').stance).toBeNull();
    });

    it('given an `at` with an offset, when it names the same instant as the statement, then the statement counts', () => {
      expect(positionAt(lateEvening, '2025-02-27T05:30:00+01:00').stance).toBe('not-yet');
      expect(positionAt(lateEvening, '2025-02-27T05:29:59+01:00').stance).toBeNull();
    });

    it('given two statements whose local times read in the other order, then the later instant wins', () => {
      const events = log(
        ['2025-02-28T00:00:00.000Z', stated('tokyo', 'tighten', '2025-02-26T20:00:00+09:00')], // 11:00Z
        ['2025-02-28T00:00:01.000Z', stated('new-york', 'not-yet', '2025-02-26T08:00:00-05:00')], // 13:00Z
      );
      expect(positionAt(events, '2025-02-26').stance).toBe('not-yet');
      expect(positionAt(events, '2025-02-26T12:00:00Z').stance).toBe('tighten');
    });

    it('given a bare-date statement and a date-time later that day, then the date-time is later (a date starts at 00:00Z)', () => {
      const events = log(
        ['2025-02-28T00:00:00.000Z', stated('timed', 'no-lifting', '2025-02-26T09:00:00Z')],
        ['2025-02-28T00:00:01.000Z', stated('dated', 'not-yet', '2025-02-26')],
      );
      expect(positionAt(events, '2025-02-26').stance).toBe('no-lifting');
    });
  });

  describe('ties on statedOn', () => {
    it('given two statements on the same date, then the one first recorded later wins', () => {
      const events = log(
        ['2025-02-27T10:00:00.000Z', stated('earlier', 'no-lifting', '2025-02-26')],
        ['2025-02-27T11:00:00.000Z', stated('later', 'not-yet', '2025-02-26')],
      );
      expect(positionAt(events, '2025-02-26').statement?.statementId).toBe('later');
    });

    it('given the earlier-recorded one is corrected afterwards, then the tie still goes to the later-recorded statement', () => {
      const events = log(
        ['2025-02-27T10:00:00.000Z', stated('earlier', 'no-lifting', '2025-02-26')],
        ['2025-02-27T11:00:00.000Z', stated('later', 'not-yet', '2025-02-26')],
        ['2025-02-27T12:00:00.000Z', corrected('earlier', { stance: 'tighten' })],
      );
      expect(positionAt(events, '2025-02-26')).toMatchObject({ stance: 'not-yet', statement: { statementId: 'later' } });
    });
  });

  describe('since', () => {
    it('given a run of restatements, then since is the first of the run, as it was stated', () => {
      const events = log(
        ['2025-03-01T00:00:00.000Z', stated('a', 'not-yet', '2025-02-20T10:00:00+01:00')],
        ['2025-03-01T00:00:01.000Z', stated('b', 'not-yet', '2025-02-24')],
        ['2025-03-01T00:00:02.000Z', stated('c', 'not-yet', '2025-02-26')],
      );
      expect(positionAt(events, '2025-02-28')).toMatchObject({ since: '2025-02-20T10:00:00+01:00', statement: { statementId: 'c' } });
    });

    it('given another code in between, then the run restarts after it', () => {
      const events = log(
        ['2025-03-01T00:00:00.000Z', stated('a', 'not-yet', '2025-02-18')],
        ['2025-03-01T00:00:01.000Z', stated('b', 'tighten', '2025-02-20')],
        ['2025-03-01T00:00:02.000Z', stated('c', 'not-yet', '2025-02-24')],
        ['2025-03-01T00:00:03.000Z', stated('d', 'not-yet', '2025-02-26')],
      );
      expect(positionAt(events, '2025-02-28').since).toBe('2025-02-24');
      expect(positionAt(events, '2025-02-19').since).toBe('2025-02-18');
    });

    it('given another code with the same score in between, then the run still restarts (since follows codes, not scores)', () => {
      // `wait-and-see` stands for a second code scored 0 like `not-yet`.
      const events = log(
        ['2025-03-01T00:00:00.000Z', stated('a', 'not-yet', '2025-02-18')],
        ['2025-03-01T00:00:01.000Z', stated('b', 'wait-and-see', '2025-02-20')],
        ['2025-03-01T00:00:02.000Z', stated('c', 'not-yet', '2025-02-24')],
      );
      expect(positionAt(events, '2025-02-28').since).toBe('2025-02-24');
    });

    it('given a later statement beyond `at` with another code, then it does not break the run up to `at`', () => {
      const events = log(
        ['2025-03-01T00:00:00.000Z', stated('a', 'not-yet', '2025-02-18')],
        ['2025-03-01T00:00:01.000Z', stated('b', 'not-yet', '2025-02-24')],
        ['2025-03-01T00:00:02.000Z', stated('c', 'tighten', '2025-02-26')],
      );
      expect(positionAt(events, '2025-02-25')).toMatchObject({ stance: 'not-yet', since: '2025-02-18' });
    });

    it('given the run is broken only in valid-time order, not in record order, then valid-time order decides', () => {
      const events = log(
        ['2025-03-01T00:00:00.000Z', stated('a', 'not-yet', '2025-02-18')],
        ['2025-03-01T00:00:01.000Z', stated('c', 'not-yet', '2025-02-26')],
        ['2025-03-01T00:00:02.000Z', stated('b', 'tighten', '2025-02-20')], // recorded last, said in between
      );
      expect(positionAt(events, '2025-02-28').since).toBe('2025-02-26');
    });
  });

  describe('corrections', () => {
    const correctedStance = log(
      ['2025-02-27T10:00:00.000Z', stated('s1', 'no-lifting', '2025-02-26')],
      ['2025-03-05T09:00:00.000Z', corrected('s1', { stance: 'not-yet' })],
    );

    it('given a corrected stance, when asked as known now, then the corrected stance answers', () => {
      expect(positionAt(correctedStance, '2025-02-26')).toMatchObject({ stance: 'not-yet', statement: { correctedAt: '2025-03-05T09:00:00.000Z' } });
    });

    it('given a corrected stance, when asked as known before the correction, then the original stance answers', () => {
      const answer = positionAt(correctedStance, '2025-02-26', '2025-03-05T08:59:59.999Z');
      expect(answer).toMatchObject({ stance: 'no-lifting', statement: { correctedAt: null } });
    });

    it('given a correction moving statedOn after `at`, then the statement no longer counts at `at`', () => {
      const events = log(
        ['2025-02-27T10:00:00.000Z', stated('s1', 'not-yet', '2025-02-26')],
        ['2025-03-05T09:00:00.000Z', corrected('s1', { statedOn: '2025-02-27T15:00:00Z' })],
      );
      expect(positionAt(events, '2025-02-26').stance).toBeNull();
      expect(positionAt(events, '2025-02-26', '2025-03-04').stance).toBe('not-yet');
      expect(positionAt(events, '2025-02-27')).toMatchObject({ stance: 'not-yet', since: '2025-02-27T15:00:00Z' });
    });

    it('given a correction moving statedOn before `at`, then the statement now counts at `at`', () => {
      const events = log(
        ['2025-02-27T10:00:00.000Z', stated('rubio', 'concessions-needed', '2025-02-18')],
        ['2025-02-27T11:00:00.000Z', stated('trump', 'not-yet', '2025-02-26')],
        ['2025-03-05T09:00:00.000Z', corrected('trump', { statedOn: '2025-02-19' })],
      );
      expect(positionAt(events, '2025-02-20').stance).toBe('not-yet');
      expect(positionAt(events, '2025-02-20', '2025-03-04').stance).toBe('concessions-needed');
    });

    it('given a correction of an unknown statement, then it is ignored', () => {
      const events = log(
        ['2025-02-27T10:00:00.000Z', stated('s1', 'not-yet', '2025-02-26')],
        ['2025-03-05T09:00:00.000Z', corrected('elsewhere', { stance: 'tighten' })],
      );
      expect(positionAt(events, '2025-02-26').stance).toBe('not-yet');
    });
  });

  describe('retractions', () => {
    const events = log(
      ['2025-02-27T10:00:00.000Z', stated('rubio', 'concessions-needed', '2025-02-18')],
      ['2025-02-27T11:00:00.000Z', stated('trump', 'not-yet', '2025-02-26')],
      ['2025-03-05T09:00:00.000Z', retracted('trump')],
    );

    it('given the latest statement is retracted, then the position falls back to the one before', () => {
      expect(positionAt(events, '2025-02-26')).toMatchObject({ stance: 'concessions-needed', since: '2025-02-18', statement: { statementId: 'rubio' } });
    });

    it('given a retraction, when asked as known before it, then the retracted statement still answers', () => {
      expect(positionAt(events, '2025-02-26', '2025-03-04').stance).toBe('not-yet');
    });

    it('given the only statement is retracted, then there is no known position', () => {
      const only = log(['2025-02-27T10:00:00.000Z', stated('s1', 'not-yet', '2025-02-26')], ['2025-03-05T09:00:00.000Z', retracted('s1')]);
      expect(positionAt(only, '2025-02-26').stance).toBeNull();
    });

    it('given a retracted statement in the middle of a run, then the run closes over the gap', () => {
      const run = log(
        ['2025-03-01T00:00:00.000Z', stated('a', 'not-yet', '2025-02-18')],
        ['2025-03-01T00:00:01.000Z', stated('b', 'tighten', '2025-02-20')],
        ['2025-03-01T00:00:02.000Z', stated('c', 'not-yet', '2025-02-24')],
        ['2025-03-02T00:00:00.000Z', retracted('b')],
      );
      expect(positionAt(run, '2025-02-28').since).toBe('2025-02-18');
      expect(positionAt(run, '2025-02-28', '2025-03-01').since).toBe('2025-02-24');
    });
  });

  describe('malformed times', () => {
    it.each([['at', '2025-02-26T14:30:00', undefined], ['knownAt', '2025-02-26', '2025-02-30']])(
      'when %s is malformed, then it is refused as an InvalidValue naming the field',
      (field, at, knownAt) => {
        expect(() => positionAt([], at, knownAt)).toThrow(InvalidValue);
        expect(() => positionAt([], at, knownAt)).toThrow(expect.objectContaining({ field }));
      },
    );
  });
});

describe('foldStatements', () => {
  const events = log(
    ['2025-02-27T10:00:00.000Z', stated('s1', 'not-yet', '2025-02-26')],
    ['2025-03-01T00:00:00.000Z', corrected('s1', { summary: 'reworded', statedOn: '2025-02-25' })],
    ['2025-03-05T09:00:00.000Z', retracted('s1')],
  );

  it('given a statement, a correction and a retraction, then the statement keeps its stated position and records each step', () => {
    expect(foldStatements(events)).toEqual([
      expect.objectContaining({
        statementId: 's1',
        stance: 'not-yet',
        summary: 'reworded',
        statedOn: '2025-02-25',
        statedPosition: 10,
        recordedAt: '2025-02-27T10:00:00.000Z',
        correctedAt: '2025-03-01T00:00:00.000Z',
        retracted: true,
        retractedAt: '2025-03-05T09:00:00.000Z',
      }),
    ]);
  });

  it('when knownAt is before the first event, then nothing is known', () => {
    expect(foldStatements(events, endInstant('2025-02-26'))).toEqual([]);
  });

  it('when knownAt is exactly an event’s recordedAt, then that event is included', () => {
    const [statement] = foldStatements(events, endInstant('2025-03-01T00:00:00.000Z'));
    expect(statement).toMatchObject({ summary: 'reworded', retracted: false, retractedAt: null });
  });

  it('given a correction carrying keys that are not statement fields, then only statement fields change', () => {
    const sneaky = { stance: 'tighten', statementId: 'other', statedPosition: 999 } as Partial<StatementFields>;
    const [statement] = foldStatements(log(['2025-02-27T10:00:00.000Z', stated('s1', 'not-yet', '2025-02-26')], ['2025-02-28T00:00:00.000Z', corrected('s1', sneaky)]));
    expect(statement).toMatchObject({ statementId: 's1', stance: 'tighten', statedPosition: 10 });
  });
});

describe('timelineOf', () => {
  it('orders by statedOn instant, then by stated position, leaving retracted statements out', () => {
    const statements = foldStatements(
      log(
        ['2025-03-01T00:00:00.000Z', stated('late', 'not-yet', '2025-02-26T12:00:00Z')],
        ['2025-03-01T00:00:01.000Z', stated('tie-recorded-first', 'not-yet', '2025-02-20')],
        ['2025-03-01T00:00:02.000Z', stated('gone', 'tighten', '2025-02-19')],
        ['2025-03-01T00:00:03.000Z', stated('tie-recorded-later', 'not-yet', '2025-02-20T00:00:00+00:00')],
        ['2025-03-02T00:00:00.000Z', retracted('gone')],
      ),
    );
    expect(timelineOf(statements).map((s) => s.statementId)).toEqual(['tie-recorded-first', 'tie-recorded-later', 'late']);
  });
});
