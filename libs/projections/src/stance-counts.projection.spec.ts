import { type PositionEvent, statedRange } from '@positions/domain';
import { ofPosition, positionStated, projectionSpec, type GivenEvent } from '@positions/testing';
import { stanceCountsProjection } from './stance-counts.projection';

const spec = projectionSpec(stanceCountsProjection);
const TOPIC = 'russia-sanctions-relief';
const by = (actorId: string, event: PositionEvent, topicId = TOPIC, recordedAt?: string): GivenEvent => ofPosition(actorId, topicId, event, recordedAt);
const stated = (statementId: string, stance: string, statedOn: string) => positionStated({ statementId, stance, statedOn });
const corrected = (statementId: string, changes: Record<string, unknown>): PositionEvent => ({ type: 'StatementCorrected', data: { statementId, changes, reason: 'misread' } });
const retracted = (statementId: string): PositionEvent => ({ type: 'StatementRetracted', data: { statementId, reason: 'misattributed' } });
type Counted = { statedOn: string; stance: string; position: number };
/** A row whose statements were recorded after their range: their range is unclipped. */
const row = (actorId: string, statements: Record<string, Counted>, topicId = TOPIC) => ({
  actorId,
  topicId,
  statements: Object.fromEntries(Object.entries(statements).map(([id, s]) => [id, { ...s, ...statedRange(s.statedOn) }])),
});

describe('the stance-counts view (given events, then rows)', () => {
  it('given statements, then one row per topic and actor, keyed topic/actor, with each statement and its log position', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('donald-trump', stated('s2', 'not-yet', '2025-02-26')), by('marco-rubio', stated('s3', 'not-yet', '2025-02-27'))])
      .thenRows('stance-counts', {
        [`${TOPIC}/donald-trump`]: row('donald-trump', { s2: { statedOn: '2025-02-26', stance: 'not-yet', position: 2 } }),
        [`${TOPIC}/marco-rubio`]: row('marco-rubio', {
          s1: { statedOn: '2025-02-18', stance: 'concessions-needed', position: 1 },
          s3: { statedOn: '2025-02-27', stance: 'not-yet', position: 3 },
        }),
      }));

  it('given a correction of the stance, then the statement counts for its new stance', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('marco-rubio', corrected('s1', { stance: 'no-lifting' }))])
      .thenRows('stance-counts', { [`${TOPIC}/marco-rubio`]: row('marco-rubio', { s1: { statedOn: '2025-02-18', stance: 'no-lifting', position: 1 } }) }));

  it('given a correction of statedOn, then the statement moves to its new date and keeps its log position', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('marco-rubio', corrected('s1', { statedOn: '2025-02-11' }))])
      .thenRows('stance-counts', { [`${TOPIC}/marco-rubio`]: row('marco-rubio', { s1: { statedOn: '2025-02-11', stance: 'concessions-needed', position: 1 } }) }));

  it('given a range, then it is kept in epoch ms, clipped at the recording of its statedOn', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02'), TOPIC, '2025-02-20T10:00:00.000Z')])
      .thenRows('stance-counts', {
        [`${TOPIC}/marco-rubio`]: {
          actorId: 'marco-rubio',
          topicId: TOPIC,
          statements: { s1: { statedOn: '2025-02', stance: 'concessions-needed', position: 1, earliest: Date.parse('2025-02-01T00:00:00Z'), latest: Date.parse('2025-02-20T10:00:00Z') } },
        },
      }));

  it('given a correction of both stance and statedOn, then both move', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('marco-rubio', corrected('s1', { stance: 'tighten', statedOn: '2025-02-19T10:00:00+01:00' }))])
      .thenRows('stance-counts', { [`${TOPIC}/marco-rubio`]: row('marco-rubio', { s1: { statedOn: '2025-02-19T10:00:00+01:00', stance: 'tighten', position: 1 } }) }));

  it('given a correction of the summary or source only, then nothing that counts changes', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('marco-rubio', corrected('s1', { summary: 'better words', source: { title: 'another report' } }))])
      .thenRows('stance-counts', { [`${TOPIC}/marco-rubio`]: row('marco-rubio', { s1: { statedOn: '2025-02-18', stance: 'concessions-needed', position: 1 } }) }));

  it('given a retraction, then the statement no longer counts and the others stay', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('marco-rubio', stated('s2', 'not-yet', '2025-02-20')), by('marco-rubio', retracted('s2'))])
      .thenRows('stance-counts', { [`${TOPIC}/marco-rubio`]: row('marco-rubio', { s1: { statedOn: '2025-02-18', stance: 'concessions-needed', position: 1 } }) }));

  it('given a retracted statement, then a later correction of it changes nothing', () =>
    spec
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('marco-rubio', retracted('s1')), by('marco-rubio', corrected('s1', { stance: 'tighten' }))])
      .thenRows('stance-counts', { [`${TOPIC}/marco-rubio`]: row('marco-rubio', {}) }));

  it('given statements on two topics, then stanceCountRows(topic) answers that topic only, by actor id', () =>
    projectionSpec()
      .given([
        by('vladimir-putin', stated('p1', 'strengthened', '2025-02-20'), 'russia-sanctions-effect'),
        by('russian-government', stated('r1', 'lift-unconditionally', '2025-02-26')),
        by('european-union', stated('e1', 'tighten', '2025-02-24')),
      ])
      .thenAnswer((read) => {
        expect(read.stanceCountRows(TOPIC).map((r) => r.actorId)).toEqual(['european-union', 'russian-government']);
        expect(read.stanceCountRows('russia-sanctions-effect')).toEqual([row('vladimir-putin', { p1: { statedOn: '2025-02-20', stance: 'strengthened', position: 1 } }, 'russia-sanctions-effect')]);
        expect(read.stanceCountRows('russia-sanctions')).toEqual([]);
      }));

  it('given a topic whose id is a prefix of another, then their rows do not mix', () =>
    projectionSpec()
      .given([by('a', stated('x1', 'tighten', '2025-02-20'), 'sanctions'), by('b', stated('x2', 'tighten', '2025-02-20'), 'sanctions-relief')])
      .thenAnswer((read) => {
        expect(read.stanceCountRows('sanctions').map((r) => r.actorId)).toEqual(['a']);
        expect(read.stanceCountRows('sanctions-relief').map((r) => r.actorId)).toEqual(['b']);
      }));
});
