import type { StoredEvent } from '@positions/event-store';
import { MessageDeriver, type StatePart, type StreamData } from './message-deriver';
import type { WatchMessage } from './watch-messages';

const STANCES = [
  { code: 'against', label: 'Against', score: -2 },
  { code: 'neutral', label: 'Neutral', score: 0 },
  { code: 'for', label: 'For', score: 2 },
];
const TEXT = 'WORDS-THAT-ONLY-THE-LOG-KEEPS';

/** A varied log from a seed: statements with days, months, years and intervals, corrections, retractions, spokespeople. */
function log(seed: number, count: number): StoredEvent[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const events: StoredEvent[] = [];
  const stated: { statementId: string; streamId: string }[] = [];
  const add = (streamId: string, type: string, data: unknown) => {
    const position = events.length + 1;
    const recordedAt = new Date(Date.UTC(2025, 0, 1) + position * 7 * 3_600_000).toISOString();
    events.push({ eventId: `e${position}`, type, schemaVersion: 1, streamId, streamPosition: 0, position, recordedAt, recordedBy: 'test', correlationId: 'c', causationId: null, data });
  };
  const statedOn = () => {
    const day = new Date(Date.UTC(2024, 6, 1) + Math.floor(next() * 400) * 86_400_000).toISOString().slice(0, 10);
    return pick([day, day, day, day.slice(0, 7), day.slice(0, 4), `${day}/${new Date(Date.parse(day) + 20 * 86_400_000).toISOString().slice(0, 10)}`]);
  };
  for (const topicId of ['t1', 't2']) add(`topic-${topicId}`, 'TopicOpened', { id: topicId, title: TEXT, proposition: TEXT, stances: STANCES });
  for (let i = 0; i < count; i++) {
    const roll = next();
    const actor = `p${Math.floor(next() * 6)}`;
    if (roll < 0.08) add(`actor-${actor}`, 'AffiliationBegan', { organizationId: pick(['org1', 'org2']), role: 'spokesperson', from: '2024-01-01', speaksFor: next() < 0.8 });
    else if (roll < 0.1) add(`actor-${actor}`, 'AffiliationEnded', { organizationId: 'org1', role: 'spokesperson', until: events.at(-1)!.recordedAt.slice(0, 10) });
    else if (roll < 0.2 && stated.length > 0) {
      const { statementId, streamId } = pick(stated);
      add(streamId, 'StatementCorrected', { statementId, reason: 'r', changes: pick([{ stance: pick(STANCES).code }, { statedOn: statedOn() }, { onBehalfOf: 'org2', summary: TEXT }]) });
    } else if (roll < 0.25 && stated.length > 0) {
      const { statementId, streamId } = pick(stated);
      add(streamId, 'StatementRetracted', { statementId, reason: 'r' });
    } else {
      const entry = { statementId: `s${i}`, streamId: `position-${actor}.${pick(['t1', 't2'])}` };
      stated.push(entry);
      const onBehalfOf = next() < 0.1 ? { onBehalfOf: 'org1' } : {};
      add(entry.streamId, 'PositionStated', { statementId: entry.statementId, stance: pick(STANCES).code, summary: TEXT, quote: TEXT, statedOn: statedOn(), source: { title: TEXT, url: `https://example.org/${TEXT}` }, ...onBehalfOf });
    }
  }
  return events;
}

/** Every string reachable from `value`, through objects, arrays, maps and sets. */
function stringsIn(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const children = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  return children.flatMap((child) => stringsIn(child, seen));
}

describe('MessageDeriver', () => {
  it('keeps what messages are made of, never the texts of statements', () => {
    const deriver = new MessageDeriver();
    const messages = log(7, 300).flatMap((event) => deriver.apply(event));
    expect(messages.length).toBeGreaterThan(20);
    expect(stringsIn(deriver).filter((s) => s.includes(TEXT))).toEqual([]);
    expect(JSON.stringify(deriver.takeChanges())).not.toContain(TEXT);
  });

  it.each([1, 2, 3])('derives the same messages after being restored from its parts as when folding on (seed %i)', (seed) => {
    const events = log(seed, 400);
    const whole = new MessageDeriver();
    const expected = events.flatMap((event) => whole.apply(event));
    expect(new Set(expected.map((m) => m.type)).size).toBe(5);

    const first = new MessageDeriver();
    const half = events.length / 2;
    const parts: StatePart[] = [];
    events.slice(0, half).forEach((event, i) => {
      first.apply(event);
      // Taken out now and then, as checkpoints do: the latest of each part wins.
      if (i % 37 === 0) parts.push(...first.takeChanges());
    });
    parts.push(...first.takeChanges());
    const restored = new MessageDeriver();
    for (const part of JSON.parse(JSON.stringify(parts)) as StatePart[]) restored.restore(part, first.position);
    const rest: WatchMessage[] = events.slice(half).flatMap((event) => restored.apply(event));
    expect(rest).toEqual(expected.filter((m) => m.position > events[half - 1].position));
  });

  it.each([1, 2, 3])('derives the same messages keeping only two streams in memory, reading the others back as last saved (seed %i)', (seed) => {
    const events = log(seed, 400);
    const whole = new MessageDeriver();
    const expected = events.flatMap((event) => whole.apply(event));

    // The checkpoint: each part as last saved, as JSON.
    const saved = new Map<string, string>();
    const readBack: string[] = [];
    const paged = new MessageDeriver();
    paged.readFrom((key) => {
      readBack.push(key);
      const data = saved.get(`stream ${key}`);
      return data === undefined ? null : (JSON.parse(data) as StreamData);
    });
    const messages: WatchMessage[] = [];
    let most = 0;
    events.forEach((event, i) => {
      messages.push(...paged.apply(event));
      if (i % 5 === 4) {
        for (const part of paged.takeChanges()) saved.set(`${part.kind} ${part.key}`, JSON.stringify(part.data));
        paged.forgetSaved(2);
        most = Math.max(most, paged.streamsInMemory);
      }
    });
    expect(messages).toEqual(expected);
    expect(most).toBe(2);
    // Streams were dropped and read back, those of other spokespeople included.
    expect(new Set(readBack).size).toBeGreaterThanOrEqual(6);
  });

  it('never asks its source for a stream it has not seen: each statement of an import into a new record would cost a read for nothing', () => {
    const events = log(5, 300);
    const asked: string[] = [];
    const deriver = new MessageDeriver();
    deriver.readFrom((key) => {
      asked.push(key);
      return null;
    });
    const expected = new MessageDeriver();
    expect(events.flatMap((event) => deriver.apply(event))).toEqual(events.flatMap((event) => expected.apply(event)));
    // Nothing was dropped, so every stream seen is still in memory: the source is never needed.
    expect(asked).toEqual([]);
  });

  it('keeps every stream in memory when it has nowhere to read them back from', () => {
    const deriver = new MessageDeriver();
    log(4, 200).forEach((event) => deriver.apply(event));
    deriver.takeChanges();
    const held = deriver.streamsInMemory;
    expect(deriver.forgetSaved(0)).toBe(0);
    expect(deriver.streamsInMemory).toBe(held);
    expect(held).toBeGreaterThan(2);
  });
});
