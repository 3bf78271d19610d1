import type { Actor, Envelope, Stance, Timeline, TimelineEntry, Topic, Voice } from './api';
import {
  addDays,
  buildLanes,
  chartInstant,
  cursorInstant,
  dayNearest,
  describeShift,
  foldStream,
  isValidDay,
  isValidKnownAt,
  knownAtFromInput,
  knownAtInstant,
  shiftBetween,
  stanceText,
  statedInstant,
  thinned,
  voiceCandidates,
  voiceDates,
} from './model';

const against: Stance = { code: 'opposes', label: 'Opposes', score: -2 };
const wary: Stance = { code: 'concessions-needed', label: 'Only with concessions', score: 1 };
const supports: Stance = { code: 'supports', label: 'Supports', score: 2 };
const topic: Topic = { id: 'relief', title: 'Relief', proposition: 'Lift the sanctions', stances: [against, wary, supports] };

const actor = (id: string, kind: Actor['kind'], affiliations: Actor['affiliations'] = []): Actor => ({ id, name: id.toUpperCase(), kind, aliases: [], wikidataId: null, affiliations });
const member = (organizationId: string, from = '2020-01-01', until: string | null = null, speaksFor = true) => ({ organizationId, role: 'member', from, until, speaksFor });
const entry = (statementId: string, statedOn: string, stance: Stance | null): TimelineEntry => ({ statementId, statedOn, stance, summary: `said ${statementId}`, shift: 'first', direction: null });
const timeline = (actorId: string, ...entries: TimelineEntry[]): Timeline => ({ actorId, topicId: topic.id, entries });

let position = 0;
function envelope(type: string, recordedAt: string, data: Record<string, unknown>): Envelope {
  position++;
  return { eventId: `e${position}`, type, schemaVersion: 1, streamId: 'position-a.relief', streamPosition: position - 1, position, recordedAt, recordedBy: 'recorder:k', correlationId: 'c', causationId: 'c', data };
}

describe('web model: dates', () => {
  it('reads a bare statedOn as the start of its UTC day, and draws it at midday', () => {
    expect(new Date(statedInstant('2025-02-26')).toISOString()).toBe('2025-02-26T00:00:00.000Z');
    expect(new Date(chartInstant('2025-02-26')).toISOString()).toBe('2025-02-26T12:00:00.000Z');
    expect(new Date(statedInstant('2025-02-26T14:30:00+01:00')).toISOString()).toBe('2025-02-26T13:30:00.000Z');
  });

  it('reads a bare knownAt as the end of its UTC day; none is now', () => {
    expect(new Date(knownAtInstant('2025-02-26')).toISOString()).toBe('2025-02-26T23:59:59.999Z');
    expect(knownAtInstant(null)).toBe(Number.POSITIVE_INFINITY);
  });

  it('steps days across month and year ends, and puts the cursor at the end of its day', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(new Date(cursorInstant('2025-02-26')).toISOString()).toBe('2025-02-27T00:00:00.000Z');
    expect(dayNearest(cursorInstant('2025-02-26') - 3_600_000)).toBe('2025-02-26');
  });

  it.each([
    ['2025-02-28', true],
    ['2025-02-29', false],
    ['2025-2-28', false],
    ['2025-02-32', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
  ])('a day %s is valid: %s', (value, valid) => expect(isValidDay(value)).toBe(valid));

  it.each([
    ['2025-02-26', true],
    ['2025-02-26T14:30:00Z', true],
    ['2025-02-26T14:30:00.123+01:00', true],
    ['2025-02-26T14:30Z', false],
    ['2025-02-30', false],
    ['2025-02-32', false],
    ['2025-13-01T10:00:00Z', false],
    ['yesterday', false],
  ])('a knownAt %s is valid: %s', (value, valid) => expect(isValidKnownAt(value)).toBe(valid));

  it('reads a record time typed to the second (UTC) as the end of that second, so records made within it count', () => {
    expect(knownAtFromInput('2025-03-02T03:11:41')).toBe('2025-03-02T03:11:41.999Z');
    expect(knownAtInstant(knownAtFromInput('2025-03-02T03:11:41'))).toBeGreaterThanOrEqual(Date.parse('2025-03-02T03:11:41.419Z'));
    expect(knownAtFromInput('2025-03-02T03:11')).toBe('2025-03-02T03:11:59.999Z');
    expect(knownAtFromInput('')).toBeNull();
    expect(knownAtFromInput('2025-02-32T03:11')).toBeNull();
  });
});

describe('web model: shifts and stances', () => {
  it('classifies a shift as docs/domain.md does', () => {
    expect(shiftBetween(null, wary)).toEqual({ shift: 'first', direction: null });
    expect(shiftBetween(wary, wary)).toEqual({ shift: 'no-flip', direction: null });
    expect(shiftBetween(wary, supports)).toEqual({ shift: 'half-flip', direction: 'toward' });
    expect(shiftBetween(supports, against)).toEqual({ shift: 'full-flop', direction: 'away' });
  });

  it('says a shift and a stance in words', () => {
    expect(describeShift('half-flip', 'away')).toBe('half-flip away from the proposition');
    expect(describeShift('full-flop', 'toward')).toBe('full-flop toward the proposition');
    expect(describeShift(null, null)).toBe('');
    expect(stanceText(wary)).toBe('concessions-needed (+1)');
    expect(stanceText(against)).toBe('opposes (-2)');
    expect(stanceText(null)).toBe('no known position');
  });
});

describe('web model: foldStream', () => {
  const events = [
    envelope('PositionStated', '2025-02-26T10:00:00.000Z', { statementId: 's1', stance: 'opposes', statedOn: '2025-02-25', summary: 'No', source: { url: 'https://example.org/a' } }),
    envelope('StatementCorrected', '2025-02-27T10:00:00.000Z', { statementId: 's1', changes: { stance: 'concessions-needed', quote: 'Only if' } }),
    envelope('StatementRetracted', '2025-02-28T10:00:00.000Z', { statementId: 's1', reason: 'misattributed' }),
    envelope('StatementCorrected', '2025-02-28T11:00:00.000Z', { statementId: 'unknown', changes: { stance: 'supports' } }),
  ];

  it('applies corrections and keeps a retracted statement, flagged', () => {
    const [statement] = foldStream(events, Number.POSITIVE_INFINITY);
    expect(statement).toMatchObject({ statementId: 's1', stance: 'concessions-needed', quote: 'Only if', corrections: 1, source: { url: 'https://example.org/a' } });
    expect(statement.retraction).toEqual({ reason: 'misattributed', recordedAt: '2025-02-28T10:00:00.000Z', recordedBy: 'recorder:k' });
  });

  it('shows the statement as the record stood at a moment: nothing recorded after it', () => {
    expect(foldStream(events, knownAtInstant('2025-02-26'))).toEqual([expect.objectContaining({ stance: 'opposes', quote: null, corrections: 0, retraction: null })]);
    expect(foldStream(events, knownAtInstant('2025-02-25'))).toEqual([]);
  });
});

describe('web model: lanes', () => {
  const end = new Date('2025-12-31T00:00:00Z');
  const eu = actor('eu', 'organization');
  const von = actor('von', 'person', [member('eu')]);
  const solo = actor('alone', 'person');
  const none = new Map();

  it('draws a lane per actor with statements: marks at midday, bands from one statement to the next, then to the end', () => {
    const timelines = new Map([['von', timeline('von', entry('s1', '2025-01-10', against), entry('s2', '2025-03-01', wary))]]);
    const [lane] = buildLanes({ topic, actors: [von, solo], timelines, streams: none, voices: none, end });
    expect(lane).toMatchObject({ key: 'actor:von', kind: 'actor', label: 'VON' });
    expect(lane.marks.map((m) => m.x.toISOString())).toEqual(['2025-01-10T12:00:00.000Z', '2025-03-01T12:00:00.000Z']);
    expect(lane.bands.map((b) => [b.from.toISOString().slice(0, 10), b.to.toISOString().slice(0, 10), b.stance.code])).toEqual([
      ['2025-01-10', '2025-03-01', 'opposes'],
      ['2025-03-01', '2025-12-31', 'concessions-needed'],
    ]);
  });

  it('marks corrected statements and keeps retracted ones apart', () => {
    const timelines = new Map([['von', timeline('von', entry('s1', '2025-01-10', against))]]);
    const folded = foldStream(
      [
        envelope('PositionStated', '2025-01-10T10:00:00.000Z', { statementId: 's1', stance: 'opposes', statedOn: '2025-01-10', summary: 'No' }),
        envelope('StatementCorrected', '2025-01-11T10:00:00.000Z', { statementId: 's1', changes: { summary: 'No, never' } }),
        envelope('PositionStated', '2025-01-12T10:00:00.000Z', { statementId: 's2', stance: 'supports', statedOn: '2025-01-12', summary: 'Yes' }),
        envelope('StatementRetracted', '2025-01-13T10:00:00.000Z', { statementId: 's2', reason: 'wrong person' }),
      ],
      Number.POSITIVE_INFINITY,
    );
    const [lane] = buildLanes({ topic, actors: [von], timelines, streams: new Map([['von', folded]]), voices: none, end });
    expect(lane.marks).toEqual([expect.objectContaining({ statementId: 's1', corrected: true })]);
    expect(lane.retracted).toEqual([expect.objectContaining({ statementId: 's2', stance: supports, retracted: expect.objectContaining({ reason: 'wrong person' }) })]);
  });

  it('orders an organization, then its people, then everyone else, each group by name', () => {
    const zed = actor('zed', 'person', [member('eu')]);
    const timelines = new Map(['alone', 'zed', 'von', 'eu'].map((id) => [id, timeline(id, entry(`${id}-1`, '2025-01-10', wary))]));
    const lanes = buildLanes({ topic, actors: [solo, zed, von, eu], timelines, streams: none, voices: none, end });
    expect(lanes.map((l) => l.key)).toEqual(['actor:eu', 'actor:von', 'actor:zed', 'actor:alone']);
  });

  it("draws an organization's voice above its lane only when someone else speaks for it", () => {
    const voice = (speaker: string, statementId: string, stance: Stance): Voice => ({
      actorId: 'eu', topicId: topic.id, at: '', knownAt: '', stance, since: null, speaker, voices: [], divergent: false,
      statement: { statementId, statedOn: '2025-01-10', summary: 'said' } as Voice['statement'],
    });
    const timelines = new Map([['eu', timeline('eu', entry('eu-1', '2025-01-10', wary))]]);
    const spokenByVon = new Map([['eu', [{ date: '2025-01-10', voice: voice('von', 'v1', against) }, { date: '2025-02-01', voice: voice('von', 'v1', against) }]]]);
    const lanes = buildLanes({ topic, actors: [eu, von], timelines, streams: none, voices: spokenByVon, end });
    expect(lanes.map((l) => l.key)).toEqual(['voice:eu', 'actor:eu']);
    expect(lanes[0].marks).toHaveLength(1);
    expect(lanes[0].bands.at(-1)?.to).toEqual(end);
    const ownOnly = new Map([['eu', [{ date: '2025-01-10', voice: voice('eu', 'eu-1', wary) }]]]);
    // Another speaker taking over is a change of speaker, not a flip of the organization.
    const handOver = new Map([['eu', [{ date: '2025-01-10', voice: voice('von', 'v1', against) }, { date: '2025-02-01', voice: voice('eu', 'eu-1', wary) }]]]);
    const [voiceLane] = buildLanes({ topic, actors: [eu, von], timelines, streams: none, voices: handOver, end });
    expect(voiceLane.marks.map((m) => [m.shift, m.newSpeaker ?? false])).toEqual([['first', false], [null, true]]);
    expect(buildLanes({ topic, actors: [eu, von], timelines, streams: none, voices: ownOnly, end }).map((l) => l.key)).toEqual(['actor:eu']);
  });
});

describe('web model: voices', () => {
  it('samples a voice at statement dates and where a speaking role begins or ends', () => {
    const eu = actor('eu', 'organization');
    const von = actor('von', 'person', [member('eu', '2025-02-01', '2025-03-31')]);
    const timelines = new Map([
      ['eu', timeline('eu', entry('e1', '2025-01-10', wary))],
      ['von', timeline('von', entry('v1', '2025-02-15T09:00:00Z', against))],
    ]);
    expect(voiceDates(eu, [eu, von], timelines)).toEqual(['2025-01-10', '2025-02-01', '2025-02-15', '2025-04-01']);
    expect(voiceDates(eu, [eu, von], new Map())).toEqual([]);
  });

  it('considers only organizations with an affiliate who said something', () => {
    const eu = actor('eu', 'organization');
    const un = actor('un', 'organization');
    const von = actor('von', 'person', [member('eu')]);
    const guterres = actor('guterres', 'person', [member('un')]);
    const timelines = new Map([['von', timeline('von', entry('v1', '2025-02-15', against))]]);
    expect(voiceCandidates([eu, un, von, guterres], timelines)).toEqual([eu]);
  });
});

describe('web model: labels that never pile up', () => {
  it('keeps labels at least the gap apart on each lane, in time order, and lanes apart from each other', () => {
    const at = (laneKey: string, day: string) => ({ laneKey, x: new Date(`${day}T12:00:00Z`) });
    const px = (date: Date) => (date.getTime() - Date.parse('2025-01-01T12:00:00Z')) / 86_400_000;
    const kept = thinned([at('a', '2025-01-03'), at('a', '2025-01-01'), at('a', '2025-01-02'), at('b', '2025-01-02'), at('a', '2025-01-05')], px, 2);
    expect(kept.map((k) => `${k.laneKey} ${k.x.toISOString().slice(0, 10)}`)).toEqual(['a 2025-01-01', 'b 2025-01-02', 'a 2025-01-03', 'a 2025-01-05']);
  });
});
