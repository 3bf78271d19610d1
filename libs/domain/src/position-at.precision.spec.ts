import type { Recorded } from './event';
import { positionAt, timelineOf, foldStatements } from './position-at';
import type { PositionEvent, StatementFields } from './position.events';

/* Imprecise dates: what was certainly said by a date decides the stance; what may have been said makes it uncertain. */

type Entry = [recordedAt: string, event: PositionEvent];

function log(...entries: Entry[]): Recorded<PositionEvent>[] {
  return entries.map(([recordedAt, event], i) => ({ ...event, position: (i + 1) * 10, recordedAt }));
}

function stated(statementId: string, stance: string, statedOn: string): PositionEvent {
  return { type: 'PositionStated', data: { statementId, stance, statedOn, summary: `${stance} on ${statedOn}`, source: { title: 'Report' } } };
}

function corrected(statementId: string, changes: Partial<StatementFields>): PositionEvent {
  return { type: 'StatementCorrected', data: { statementId, changes, reason: 'misdated' } };
}

const SCORES: Record<string, number> = { 'lift-unconditionally': 2, 'concessions-needed': 1, 'not-yet': 0, 'no-lifting': -1, tighten: -2 };
const scoreOf = (code: string) => SCORES[code];
const RECORDED = '2025-02-27T10:00:00.000Z';

describe('positionAt with dates as the sources give them', () => {
  describe('Rubio, "last week" (2025-02-17/2025-02-23), concessions-needed', () => {
    const rubio = log([RECORDED, stated('r1', 'concessions-needed', '2025-02-17/2025-02-23')]);

    it('on the last day of the range, he certainly said it', () => {
      expect(positionAt(rubio, '2025-02-23')).toMatchObject({ stance: 'concessions-needed', since: '2025-02-17/2025-02-23', certainty: 'certain', alternatives: [] });
    });

    it('the day before, no position is certain, and concessions-needed is possible', () => {
      expect(positionAt(rubio, '2025-02-22')).toMatchObject({
        stance: null,
        statement: null,
        certainty: 'uncertain',
        alternatives: [{ stance: 'concessions-needed', statementId: 'r1' }],
      });
    });

    it('before the range begins, nothing was said: certainly no position', () => {
      expect(positionAt(rubio, '2025-02-16')).toMatchObject({ stance: null, certainty: 'certain', alternatives: [] });
    });

    it('the statement carries its range as recorded', () => {
      expect(positionAt(rubio, '2025-02-26').statement).toMatchObject({ earliest: '2025-02-17T00:00:00.000Z', latest: '2025-02-23T00:00:00.000Z' });
    });
  });

  it('a range that reaches past its recording is clipped there: certain from the moment of recording', () => {
    const midWeek = log(['2025-02-20T15:00:00.000Z', stated('r1', 'concessions-needed', '2025-02-17/2025-02-23')]);
    expect(positionAt(midWeek, '2025-02-20')).toMatchObject({ stance: 'concessions-needed', certainty: 'certain' });
    expect(positionAt(midWeek, '2025-02-20').statement).toMatchObject({ latest: '2025-02-20T15:00:00.000Z' });
  });

  describe('a precise statement, then an imprecise one overlapping later days', () => {
    const events = log(
      [RECORDED, stated('s1', 'not-yet', '2025-02-18')],
      [RECORDED, stated('s2', 'no-lifting', '2025-02-17/2025-02-23')],
    );

    it('inside the range, the precise statement holds but the other may already have been said', () => {
      expect(positionAt(events, '2025-02-20', undefined, scoreOf)).toMatchObject({
        stance: 'not-yet',
        certainty: 'uncertain',
        alternatives: [{ stance: 'no-lifting', statementId: 's2' }],
      });
    });

    it('after the range, the range is certainly made and latest: it decides, but may have come before the precise one', () => {
      expect(positionAt(events, '2025-02-24')).toMatchObject({
        stance: 'no-lifting',
        certainty: 'uncertain',
        alternatives: [{ stance: 'not-yet', statementId: 's1' }],
      });
    });

    it('a later precise statement surely follows both: certain again', () => {
      const more = [...events, { ...stated('s3', 'no-lifting', '2025-02-24'), position: 30, recordedAt: RECORDED }] as Recorded<PositionEvent>[];
      expect(positionAt(more, '2025-02-24')).toMatchObject({ stance: 'no-lifting', certainty: 'certain', alternatives: [] });
    });
  });

  it('a certainly-made statement that surely follows a possible one leaves it no say', () => {
    const events = log(
      [RECORDED, stated('s1', 'tighten', '2025-02')],
      [RECORDED, stated('s2', 'not-yet', '2025-02-10')],
      [RECORDED, stated('s3', 'no-lifting', '2025-02-12')],
    );
    // On 2025-02-20, s3 is certain and latest; s1 (all of February) may still come after it.
    expect(positionAt(events, '2025-02-20', undefined, scoreOf)).toMatchObject({
      stance: 'no-lifting',
      certainty: 'uncertain',
      alternatives: [{ stance: 'tighten', statementId: 's1' }],
    });
    // s2 is surely followed by s3, so not-yet is no alternative.
    expect(positionAt(events, '2025-02-20', undefined, scoreOf).alternatives.map((a) => a.stance)).not.toContain('not-yet');
  });

  it('alternatives are ordered by score, then code, one per stance (its latest candidate)', () => {
    const events = log(
      [RECORDED, stated('a', 'lift-unconditionally', '2025-02')],
      [RECORDED, stated('b', 'tighten', '2025-02-10/2025-02-25')],
      [RECORDED, stated('c', 'tighten', '2025-02-15/2025-02-26')],
      [RECORDED, stated('d', 'not-yet', '2025-02-20/2025-02-27')],
    );
    expect(positionAt(events, '2025-02-21', undefined, scoreOf)).toMatchObject({
      stance: null,
      certainty: 'uncertain',
      alternatives: [
        { stance: 'tighten', statementId: 'c' },
        { stance: 'not-yet', statementId: 'd' },
        { stance: 'lift-unconditionally', statementId: 'a' },
      ],
    });
  });

  it('a correction to a range is clipped at the moment of the correction', () => {
    const events = log(
      ['2025-02-21T08:00:00.000Z', stated('r1', 'concessions-needed', '2025-02-17')],
      ['2025-02-22T08:00:00.000Z', corrected('r1', { statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' })],
    );
    const [statement] = foldStatements(events);
    expect(statement).toMatchObject({ statedOnWording: 'last week', earliest: '2025-02-17T00:00:00.000Z', latest: '2025-02-22T08:00:00.000Z' });
    expect(positionAt(events, '2025-02-20', '2025-02-21T09:00:00.000Z')).toMatchObject({ stance: 'concessions-needed', certainty: 'certain' });
    expect(positionAt(events, '2025-02-20')).toMatchObject({ stance: null, certainty: 'uncertain' });
  });

  it('timelines order by earliest, then latest, then record order', () => {
    const events = log(
      [RECORDED, stated('wide', 'tighten', '2025-02-17/2025-02-23')],
      [RECORDED, stated('day', 'not-yet', '2025-02-17')],
      [RECORDED, stated('month', 'no-lifting', '2025-02')],
      [RECORDED, stated('later', 'not-yet', '2025-02-17')],
    );
    expect(timelineOf(foldStatements(events)).map((s) => s.statementId)).toEqual(['month', 'day', 'later', 'wide']);
  });
});
