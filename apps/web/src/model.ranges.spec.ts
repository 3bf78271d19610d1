/// <reference types="jest" />
import type { Actor, Envelope, Timeline, TimelineEntry, Topic } from './api';
import { alternativesText, attachRanges, buildLanes, foldStream, markInstant, possiblyStated, rangeText, statedBounds, statedSpan, statedText, voiceDates } from './model';

const concessions = { code: 'concessions-needed', label: 'Relief in a settlement', score: 1 };
const notYet = { code: 'not-yet', label: 'Not yet', score: 0 };
const topic: Topic = { id: 'sanctions', title: 'Sanctions', proposition: 'Lift them', stances: [concessions, notYet] };
const person = (id: string, affiliations: Actor['affiliations'] = []): Actor => ({ id, name: id, kind: 'person', aliases: [], wikidataId: null, affiliations });
const lastWeek = { statedOn: '2025-02-17/2025-02-23', earliest: '2025-02-17T00:00:00.000Z', latest: '2025-02-23T00:00:00.000Z' };
const entry = (statementId: string, dated: Partial<TimelineEntry>, stance = concessions): TimelineEntry => ({
  statementId,
  statedOn: '2025-02-26',
  stance,
  summary: statementId,
  shift: 'first',
  direction: null,
  ...dated,
});

describe('the page’s model: statements dated by a range of days', () => {
  it('spans an imprecise statement from its first day to the end of its last, or to its recording where clipped there', () => {
    expect(statedSpan(lastWeek)).toEqual({ from: new Date('2025-02-17T00:00:00Z'), to: new Date('2025-02-24T00:00:00Z') });
    expect(statedSpan({ ...lastWeek, latest: '2025-02-21T09:15:00.000Z' })).toEqual({ from: new Date('2025-02-17T00:00:00Z'), to: new Date('2025-02-21T09:15:00Z') });
    expect(statedSpan({ statedOn: '2025-02-26', earliest: '2025-02-26T00:00:00.000Z', latest: '2025-02-26T00:00:00.000Z' })).toBeNull();
    expect(statedSpan({ statedOn: '2025-02-26' })).toBeNull();
    expect(rangeText(lastWeek)).toBe('2025-02-17 – 2025-02-23');
    expect(rangeText({ ...lastWeek, latest: '2025-02-21T09:15:00.000Z' })).toBe('2025-02-17 – 2025-02-21T09:15:00.000Z');
    expect(statedText({ ...lastWeek, statedOnWording: 'last week' })).toBe('2025-02-17/2025-02-23 “last week”');
  });

  it('puts the mark where the statement is certainly made (the middle of its last day), and days and instants where they were', () => {
    expect(new Date(markInstant(lastWeek)).toISOString()).toBe('2025-02-23T12:00:00.000Z');
    expect(new Date(markInstant({ statedOn: '2025-02-18' })).toISOString()).toBe('2025-02-18T12:00:00.000Z');
    expect(new Date(markInstant({ statedOn: '2025-02-18', earliest: '2025-02-18T00:00:00.000Z', latest: '2025-02-18T00:00:00.000Z' })).toISOString()).toBe('2025-02-18T12:00:00.000Z');
    expect(new Date(markInstant({ statedOn: '2025-02-18T10:30:00+03:00', earliest: '2025-02-18T07:30:00.000Z', latest: '2025-02-18T07:30:00.000Z' })).toISOString()).toBe('2025-02-18T07:30:00.000Z');
    // Without its range an imprecise date cannot be placed (a bare statedOn is never parsed here).
    expect(markInstant({ statedOn: '2025-02' })).toBeNaN();
    expect(statedBounds({ statedOn: '2025-02' })).toBeNull();
    expect(statedBounds(lastWeek)).toEqual({ earliest: Date.parse(lastWeek.earliest), latest: Date.parse(lastWeek.latest) });
  });

  it('draws a lane’s imprecise statement as a span, its position held from the end of the span', () => {
    const timeline: Timeline = { actorId: 'rubio', topicId: 'sanctions', entries: [entry('a', lastWeek), entry('b', { statedOn: '2025-02-26' }, notYet)] };
    const [lane] = buildLanes({ topic, actors: [person('rubio')], timelines: new Map([['rubio', timeline]]), streams: new Map(), voices: new Map(), end: new Date('2025-03-01T00:00:00Z') });
    expect(lane.marks.map((m) => [m.statementId, m.span, m.range, m.x.toISOString()])).toEqual([
      ['a', { from: new Date('2025-02-17T00:00:00Z'), to: new Date('2025-02-24T00:00:00Z') }, '2025-02-17 – 2025-02-23', '2025-02-23T12:00:00.000Z'],
      ['b', null, null, '2025-02-26T12:00:00.000Z'],
    ]);
    expect(lane.bands[0]).toMatchObject({ from: new Date('2025-02-23T12:00:00Z'), to: new Date('2025-02-26T12:00:00Z'), stance: concessions });
    // Possibly said from the first day of the span; certainly from the end of its last day.
    expect(['2025-02-16', '2025-02-17', '2025-02-22', '2025-02-23'].map((day) => possiblyStated(lane, day))).toEqual([false, true, true, false]);
  });

  it('keeps a band of no length where overlapping ranges put the next mark first', () => {
    const entries = [entry('wide', { statedOn: '2025-02', earliest: '2025-02-01T00:00:00.000Z', latest: '2025-02-28T00:00:00.000Z' }), entry('day', { statedOn: '2025-02-10', earliest: '2025-02-10T00:00:00.000Z', latest: '2025-02-10T00:00:00.000Z' }, notYet)];
    const [lane] = buildLanes({ topic, actors: [person('x')], timelines: new Map([['x', { actorId: 'x', topicId: 'sanctions', entries }]]), streams: new Map(), voices: new Map(), end: new Date('2025-03-05T00:00:00Z') });
    expect(lane.bands[0].to.getTime()).toBe(lane.bands[0].from.getTime());
  });

  it('samples a voice where a range begins and where it ends', () => {
    const org: Actor = { ...person('us'), kind: 'government' };
    const rubio = person('rubio', [{ organizationId: 'us', role: 'Secretary of State', from: '2025-01-21', until: null, speaksFor: true }]);
    const timelines = new Map([['rubio', { actorId: 'rubio', topicId: 'sanctions', entries: [entry('a', lastWeek)] }]]);
    expect(voiceDates(org, [org, rubio], timelines)).toEqual(['2025-02-17', '2025-02-23']);
  });

  it('keeps the wording through corrections, and gives folded statements the ranges their timeline answered', () => {
    const envelope = (type: string, data: Record<string, unknown>, recordedAt: string): Envelope =>
      ({ eventId: recordedAt, type, schemaVersion: 1, streamId: 'position-rubio.sanctions', streamPosition: 0, position: 0, recordedAt, recordedBy: 'test', correlationId: '', causationId: '', data }) as Envelope;
    const folded = foldStream(
      [
        envelope('PositionStated', { statementId: 'a', stance: 'concessions-needed', summary: 'S', statedOn: '2025-02-18', source: {} }, '2025-02-26T10:00:00.000Z'),
        envelope('StatementCorrected', { statementId: 'a', changes: { statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' }, reason: 'r' }, '2025-02-26T11:00:00.000Z'),
        envelope('PositionStated', { statementId: 'b', stance: 'not-yet', summary: 'S', statedOn: '2025-02', statedOnWording: 'in February', source: {} }, '2025-02-26T12:00:00.000Z'),
        envelope('StatementRetracted', { statementId: 'b', reason: 'r' }, '2025-02-26T13:00:00.000Z'),
      ],
      Number.POSITIVE_INFINITY,
    );
    expect(folded.map((s) => [s.statedOn, s.statedOnWording])).toEqual([['2025-02-17/2025-02-23', 'last week'], ['2025-02', 'in February']]);
    // The retracted one is in no timeline: the page must ask for its range.
    expect(attachRanges(folded, { actorId: 'rubio', topicId: 'sanctions', entries: [entry('a', lastWeek)] }).map((s) => s.statementId)).toEqual(['b']);
    expect(folded[0]).toMatchObject({ earliest: lastWeek.earliest, latest: lastWeek.latest });
  });

  it('lists the other answers an uncertain position leaves open, with who gave them', () => {
    const answer = { certainty: 'uncertain' as const, alternatives: [{ stance: null, statementId: null }, { stance: concessions, statementId: 'a' }] };
    expect(alternativesText(answer, (id) => (id === 'a' ? 'Marco Rubio' : null))).toBe('possibly no position, or concessions-needed (+1) (Marco Rubio)');
    expect(alternativesText({ certainty: 'certain', alternatives: [] })).toBe('');
  });
});
