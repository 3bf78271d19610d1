import { endInstant, type PositionEvent } from '@positions/domain';
import { type GivenEvent, ofPosition, positionStated, projectionSpec } from '@positions/testing';
import type { ReadModels } from './read-models';
import { KNOWN_NOW } from './statements.reader';

/* Given events, then the answers of the statements index beyond positionAt: timelines, statements as known, landscapes. */

const TOPIC = 'russia-sanctions-relief';
const by = (actorId: string, event: PositionEvent, recordedAt?: string): GivenEvent => ofPosition(actorId, TOPIC, event, recordedAt);
const stated = (statementId: string, stance: string, statedOn: string) => positionStated({ statementId, stance, statedOn, summary: `${stance} on ${statedOn}` });
const corrected = (statementId: string, changes: Record<string, unknown>): PositionEvent => ({ type: 'StatementCorrected', data: { statementId, changes, reason: 'misread' } });
const retracted = (statementId: string): PositionEvent => ({ type: 'StatementRetracted', data: { statementId, reason: 'misattributed' } });
const ms = (iso: string) => Date.parse(iso);
const at = (date: string) => endInstant(date);
const ids = (read: ReadModels, actorId: string, knownAt = KNOWN_NOW) => read.timeline(actorId, TOPIC, knownAt).map((s) => s.statementId);

describe('the timeline (given statements, then in valid-time order)', () => {
  it('given statements recorded out of order, then they come in statedOn order', () =>
    projectionSpec()
      .given([by('donald-trump', stated('s1', 'not-yet', '2025-02-20')), by('donald-trump', stated('s2', 'no-lifting', '2025-02-10')), by('donald-trump', stated('s3', 'tighten', '2025-02-15'))])
      .thenAnswer((read) => expect(ids(read, 'donald-trump')).toEqual(['s2', 's3', 's1'])));

  it('given two statements on the same date, then the one recorded first comes first, even after a correction of it', () =>
    projectionSpec()
      .given([by('donald-trump', stated('s1', 'not-yet', '2025-02-20')), by('donald-trump', stated('s2', 'tighten', '2025-02-20')), by('donald-trump', corrected('s1', { summary: 'fixed' }))])
      .thenAnswer((read) => expect(ids(read, 'donald-trump')).toEqual(['s1', 's2'])));

  it('given a date-time with an offset, then it is ordered as the instant it names', () =>
    projectionSpec()
      .given([by('donald-trump', stated('s1', 'not-yet', '2025-02-20')), by('donald-trump', stated('s2', 'tighten', '2025-02-20T00:30:00+01:00'))])
      .thenAnswer((read) => expect(ids(read, 'donald-trump')).toEqual(['s2', 's1'])));

  it('given a retraction and a correction of statedOn, then the retracted one is left out and the corrected one moves, from their record time on', () =>
    projectionSpec()
      .given([
        by('donald-trump', stated('s1', 'not-yet', '2025-02-10'), '2025-03-01T10:00:00.000Z'),
        by('donald-trump', stated('s2', 'tighten', '2025-02-15'), '2025-03-01T11:00:00.000Z'),
        by('donald-trump', stated('s3', 'no-lifting', '2025-02-20'), '2025-03-01T12:00:00.000Z'),
        by('donald-trump', corrected('s1', { statedOn: '2025-02-25' }), '2025-03-02T10:00:00.000Z'),
        by('donald-trump', retracted('s2'), '2025-03-03T10:00:00.000Z'),
      ])
      .thenAnswer((read) => {
        expect(ids(read, 'donald-trump', ms('2025-03-01T11:30:00Z'))).toEqual(['s1', 's2']);
        expect(ids(read, 'donald-trump', ms('2025-03-02T10:00:00Z'))).toEqual(['s2', 's3', 's1']);
        expect(ids(read, 'donald-trump')).toEqual(['s3', 's1']);
        expect(read.timeline('donald-trump', TOPIC)[1].fields).toMatchObject({ statedOn: '2025-02-25', stance: 'not-yet' });
        expect(ids(read, 'marco-rubio')).toEqual([]);
      }));
});

describe('a statement as known at a moment (given corrections and a retraction, then correctedAt and retractedAt)', () => {
  const history = [
    by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18'), '2025-03-01T10:00:00.000Z'),
    by('marco-rubio', corrected('s1', { stance: 'not-yet' }), '2025-03-02T10:00:00.000Z'),
    by('marco-rubio', corrected('s1', { statedOn: '2025-02-17', quote: 'new quote' }), '2025-03-03T10:00:00.000Z'),
    by('marco-rubio', retracted('s1'), '2025-03-04T10:00:00.000Z'),
    by('marco-rubio', stated('s2', 'tighten', '2025-02-19'), '2025-03-05T10:00:00.000Z'),
    by('marco-rubio', retracted('s2'), '2025-03-06T10:00:00.000Z'),
  ];

  it('given it was not recorded yet at knownAt, then null; given an unknown id, then null', () =>
    projectionSpec()
      .given(history)
      .thenAnswer((read) => {
        expect(read.statement('s1', ms('2025-03-01T09:59:59.999Z'))).toBeNull();
        expect(read.statement('nope')).toBeNull();
        expect(read.statementLocation('nope')).toBeNull();
        expect(read.statementLocation('s1')).toEqual({ actorId: 'marco-rubio', topicId: TOPIC });
      }));

  it('given only its first version was known, then it answers that version with correctedAt and retractedAt null', () =>
    projectionSpec()
      .given(history)
      .thenAnswer((read) =>
        expect(read.statement('s1', ms('2025-03-01T10:00:00Z'))).toMatchObject({
          statementId: 's1',
          actorId: 'marco-rubio',
          topicId: TOPIC,
          fields: { stance: 'concessions-needed', statedOn: '2025-02-18' },
          recordedAt: '2025-03-01T10:00:00.000Z',
          knownFrom: '2025-03-01T10:00:00.000Z',
          correctedAt: null,
          retractedAt: null,
        }),
      ));

  it('given corrections, then each applies from its record time, correctedAt is the last one applied, recordedAt stays the first', () =>
    projectionSpec()
      .given(history)
      .thenAnswer((read) => {
        expect(read.statement('s1', ms('2025-03-02T10:00:00Z'))).toMatchObject({ fields: { stance: 'not-yet', statedOn: '2025-02-18' }, correctedAt: '2025-03-02T10:00:00.000Z', retractedAt: null });
        expect(read.statement('s1', ms('2025-03-03T23:00:00Z'))).toMatchObject({
          fields: { stance: 'not-yet', statedOn: '2025-02-17', quote: 'new quote', summary: 'concessions-needed on 2025-02-18' },
          recordedAt: '2025-03-01T10:00:00.000Z',
          correctedAt: '2025-03-03T10:00:00.000Z',
          retractedAt: null,
        });
      }));

  it('given a retraction, then from its record time on it answers the last version with retractedAt', () =>
    projectionSpec()
      .given(history)
      .thenAnswer((read) => {
        expect(read.statement('s1')).toMatchObject({ fields: { stance: 'not-yet', statedOn: '2025-02-17' }, correctedAt: '2025-03-03T10:00:00.000Z', retractedAt: '2025-03-04T10:00:00.000Z' });
        expect(read.statement('s1', ms('2025-03-04T09:59:59.999Z'))?.retractedAt).toBeNull();
        expect(read.statement('s2')).toMatchObject({ fields: { stance: 'tighten' }, correctedAt: null, retractedAt: '2025-03-06T10:00:00.000Z' });
      }));
});

describe('the landscape (given several actors, then each one\'s position and since)', () => {
  const history = [
    by('donald-trump', stated('t1', 'no-lifting', '2025-02-01')),
    by('donald-trump', stated('t2', 'tighten', '2025-02-05')),
    by('donald-trump', stated('t3', 'tighten', '2025-02-10')),
    by('european-union', stated('e1', 'tighten', '2025-02-03')),
    by('european-union', stated('e2', 'tighten', '2025-02-08')),
    by('marco-rubio', stated('r1', 'tighten', '2025-02-01')),
    by('marco-rubio', stated('r2', 'no-lifting', '2025-02-04')),
    by('marco-rubio', stated('r3', 'tighten', '2025-02-06')),
    by('vladimir-putin', stated('p1', 'not-yet', '2025-02-09')),
    by('vladimir-putin', stated('p2', 'lift-unconditionally', '2025-02-09')),
  ];
  const summary = (read: ReadModels, date: string, knownAt = KNOWN_NOW) =>
    read.landscapeEntries(TOPIC, at(date), knownAt).map((p) => [p.actorId, p.statementId, p.since]);

  it('given statements by date, then every actor with a known position, by actor id, each with its own since', () =>
    projectionSpec()
      .given(history)
      .thenAnswer((read) => {
        expect(summary(read, '2025-02-07')).toEqual([
          ['donald-trump', 't2', '2025-02-05'],
          ['european-union', 'e1', '2025-02-03'],
          ['marco-rubio', 'r3', '2025-02-06'],
        ]);
        expect(summary(read, '2025-02-28')).toEqual([
          ['donald-trump', 't3', '2025-02-05'],
          ['european-union', 'e2', '2025-02-03'],
          ['marco-rubio', 'r3', '2025-02-06'],
          ['vladimir-putin', 'p2', '2025-02-09'],
        ]);
        expect(summary(read, '2025-01-31')).toEqual([]);
      }));

  it('given a retraction that breaks a run, then since reaches back over it', () =>
    projectionSpec()
      .given([...history, by('marco-rubio', retracted('r2'))])
      .thenAnswer((read) => expect(summary(read, '2025-02-28')[2]).toEqual(['marco-rubio', 'r3', '2025-02-01'])));

  it('given any date and record time, then each entry is exactly positionAt for that actor', () =>
    projectionSpec()
      .given([...history, by('marco-rubio', corrected('r3', { stance: 'no-lifting' })), by('european-union', retracted('e2'))])
      .thenAnswer((read, log) => {
        for (const knownAt of [KNOWN_NOW, ...log.map((e) => ms(e.recordedAt))]) {
          for (const date of ['2025-02-02', '2025-02-05', '2025-02-09', '2025-02-28']) {
            const landscape = read.landscapeEntries(TOPIC, at(date), knownAt);
            const actors = ['donald-trump', 'european-union', 'marco-rubio', 'vladimir-putin'];
            const expected = actors.flatMap((actorId) => {
              const p = read.positionAt(actorId, TOPIC, at(date), knownAt);
              if (!p) return [];
              const { statement, since, certainty, alternatives } = p;
              return [{ actorId, statementId: statement?.statementId ?? null, stance: statement?.fields.stance ?? null, since, certainty, alternatives }];
            });
            expect(landscape).toEqual(expected);
          }
        }
      }));
});

describe('statements with imprecise dates (given ranges, then certainty and alternatives from the index)', () => {
  const scoreOf = (code: string) => ({ tighten: -2, 'no-lifting': -1, 'not-yet': 0, 'concessions-needed': 1 })[code] ?? 0;
  const history = [
    by('marco-rubio', stated('r1', 'no-lifting', '2025-02-10'), '2025-02-26T09:00:00.000Z'),
    by('marco-rubio', stated('r2', 'concessions-needed', '2025-02-17/2025-02-23'), '2025-02-26T10:00:00.000Z'),
    by('marco-rubio', stated('r3', 'not-yet', '2025-02-20/2025-02-27'), '2025-02-26T11:00:00.000Z'),
  ];
  const position = (read: ReadModels, date: string) => read.positionAt('marco-rubio', TOPIC, at(date), KNOWN_NOW, scoreOf);

  it('given a range, then the day before its last day is uncertain and its last day is certain', () =>
    projectionSpec()
      .given(history.slice(0, 2))
      .thenAnswer((read) => {
        expect(position(read, '2025-02-22')).toMatchObject({ statement: { statementId: 'r1' }, certainty: 'uncertain', alternatives: [{ stance: 'concessions-needed', statementId: 'r2' }] });
        expect(position(read, '2025-02-23')).toMatchObject({ statement: { statementId: 'r2' }, certainty: 'certain', alternatives: [] });
      }));

  it('given only a range, then before its last day there is no certain position, only the possible one', () =>
    projectionSpec()
      .given([history[1]])
      .thenAnswer((read) => {
        expect(position(read, '2025-02-19')).toEqual({ statement: null, since: null, certainty: 'uncertain', alternatives: [{ stance: 'concessions-needed', statementId: 'r2' }] });
        expect(read.landscapeEntries(TOPIC, at('2025-02-19'), KNOWN_NOW, scoreOf)).toEqual([
          { actorId: 'marco-rubio', statementId: null, stance: null, since: null, certainty: 'uncertain', alternatives: [{ stance: 'concessions-needed', statementId: 'r2' }] },
        ]);
        expect(position(read, '2025-02-16')).toBeNull();
      }));

  it('given overlapping ranges, then the later-ending one is possible alongside the certain one; the range is clipped at its recording', () =>
    projectionSpec()
      .given(history)
      .thenAnswer((read) => {
        expect(position(read, '2025-02-24')).toMatchObject({ statement: { statementId: 'r2' }, certainty: 'uncertain', alternatives: [{ stance: 'not-yet', statementId: 'r3' }] });
        // r3 runs to 2025-02-27 but was recorded on 2025-02-26 at 11:00: it ends there.
        expect(read.statement('r3')).toMatchObject({ earliest: ms('2025-02-20T00:00:00Z'), latest: ms('2025-02-26T11:00:00Z') });
        // Both made by then, but which came last the ranges cannot tell: still uncertain.
        expect(position(read, '2025-02-26')).toMatchObject({ statement: { statementId: 'r3' }, certainty: 'uncertain', alternatives: [{ stance: 'concessions-needed', statementId: 'r2' }] });
      }));

  it('given ranges and days, then the timeline comes by earliest, then latest', () =>
    projectionSpec()
      .given([...history, by('marco-rubio', stated('r4', 'tighten', '2025-02-17'), '2025-02-26T12:00:00.000Z')])
      .thenAnswer((read) => expect(ids(read, 'marco-rubio')).toEqual(['r1', 'r4', 'r2', 'r3'])));

  it('given a correction of statedOn, then the new range is clipped at the correction', () =>
    projectionSpec()
      .given([history[0], by('marco-rubio', corrected('r1', { statedOn: '2025-03' }), '2025-03-05T08:00:00.000Z')])
      .thenAnswer((read) => {
        expect(read.statement('r1')).toMatchObject({ earliest: ms('2025-03-01T00:00:00Z'), latest: ms('2025-03-05T08:00:00Z') });
        expect(read.statement('r1', ms('2025-03-01T00:00:00Z'))).toMatchObject({ earliest: ms('2025-02-10T00:00:00Z'), latest: ms('2025-02-10T00:00:00Z') });
      }));
});
