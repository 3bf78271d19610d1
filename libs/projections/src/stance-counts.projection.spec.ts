import fc from 'fast-check';
import { type PositionEvent, positionAt, type Recorded, toDomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import { dailyStanceCounts, type GivenEvent, notingPrepares, ofPosition, positionStated, projectionSpec, rebuildEvery, recordingStore } from '@positions/testing';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { stanceCountsProjection } from './stance-counts.projection';
import { openViewsDatabase } from './views-database';

const DAY = 86_400_000;
const TOPIC = 'russia-sanctions-relief';
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const by = (actorId: string, event: PositionEvent, topicId = TOPIC): GivenEvent => ofPosition(actorId, topicId, event);
const stated = (statementId: string, stance: string, statedOn: string) => positionStated({ statementId, stance, statedOn });
const corrected = (statementId: string, changes: Record<string, unknown>): PositionEvent => ({ type: 'StatementCorrected', data: { statementId, changes, reason: 'misread' } });
const retracted = (statementId: string): PositionEvent => ({ type: 'StatementRetracted', data: { statementId, reason: 'misattributed' } });

/** The counts from `from` to `to` as [date, counts] pairs, for readable expectations. */
const countsOf = (read: ReadModels, from: string, to: string, topicId = TOPIC) =>
  dailyStanceCounts(read, topicId, dayNumber(from), dayNumber(to)).map((counts, i) => [dateOf(dayNumber(from) + i), counts]);

describe('the stance-counts view (given events, then daily counts)', () => {
  const spec = () => projectionSpec(stanceCountsProjection);

  it('given statements, then each day counts each actor once, for the stance of its latest statement up to that day', () =>
    spec()
      .given([by('marco-rubio', stated('s1', 'concessions-needed', '2025-02-18')), by('donald-trump', stated('s2', 'not-yet', '2025-02-19')), by('marco-rubio', stated('s3', 'not-yet', '2025-02-20'))])
      .thenAnswer((read) =>
        expect(countsOf(read, '2025-02-17', '2025-02-21')).toEqual([
          ['2025-02-17', {}],
          ['2025-02-18', { 'concessions-needed': 1 }],
          ['2025-02-19', { 'concessions-needed': 1, 'not-yet': 1 }],
          ['2025-02-20', { 'not-yet': 2 }],
          ['2025-02-21', { 'not-yet': 2 }],
        ]),
      ));

  it('given two statements on one day, then the later instant wins; on the same instant, the later recorded', () =>
    spec()
      .given([
        by('a', stated('s1', 'tighten', '2025-02-18T20:00:00Z')),
        by('a', stated('s2', 'not-yet', '2025-02-18T08:00:00Z')),
        by('b', stated('s3', 'tighten', '2025-02-18')),
        by('b', stated('s4', 'not-yet', '2025-02-18')),
      ])
      .thenAnswer((read) => expect(countsOf(read, '2025-02-18', '2025-02-18')).toEqual([['2025-02-18', { tighten: 1, 'not-yet': 1 }]])));

  it('given statements before 1970 and across blocks of days, then a range starting inside a block counts them alike', () =>
    spec()
      .given([by('a', stated('s1', 'tighten', '1969-11-20')), by('b', stated('s2', 'not-yet', '1969-12-31')), by('a', stated('s3', 'not-yet', '1970-01-01')), by('b', stated('s4', 'tighten', '1970-02-03'))])
      .thenAnswer((read) => {
        expect(countsOf(read, '1969-12-30', '1970-01-02')).toEqual([
          ['1969-12-30', { tighten: 1 }],
          ['1969-12-31', { tighten: 1, 'not-yet': 1 }],
          ['1970-01-01', { 'not-yet': 2 }],
          ['1970-01-02', { 'not-yet': 2 }],
        ]);
        expect(countsOf(read, '1970-02-02', '1970-02-03')).toEqual([['1970-02-02', { 'not-yet': 2 }], ['1970-02-03', { 'not-yet': 1, tighten: 1 }]]);
      }));

  it('given a back-dated statement recorded later, then it counts from its own date up to the next statement', () =>
    spec()
      .given([by('a', stated('s1', 'tighten', '2025-02-20')), by('a', stated('s2', 'not-yet', '2025-02-10'))])
      .thenAnswer((read) => {
        expect(countsOf(read, '2025-02-09', '2025-02-10')).toEqual([['2025-02-09', {}], ['2025-02-10', { 'not-yet': 1 }]]);
        expect(countsOf(read, '2025-02-19', '2025-02-20')).toEqual([['2025-02-19', { 'not-yet': 1 }], ['2025-02-20', { tighten: 1 }]]);
      }));

  it('given corrections of stance and date and a retraction, then the counts follow', () =>
    spec()
      .given([
        by('a', stated('s1', 'tighten', '2025-02-10')),
        by('a', stated('s2', 'not-yet', '2025-02-20')),
        by('a', corrected('s1', { stance: 'no-lifting', statedOn: '2025-02-12' })),
        by('a', corrected('s2', { summary: 'better words' })),
        by('a', retracted('s2')),
        by('a', corrected('s2', { stance: 'tighten' })),
      ])
      .thenAnswer((read) => {
        expect(countsOf(read, '2025-02-11', '2025-02-12')).toEqual([['2025-02-11', {}], ['2025-02-12', { 'no-lifting': 1 }]]);
        expect(countsOf(read, '2025-02-25', '2025-02-25')).toEqual([['2025-02-25', { 'no-lifting': 1 }]]);
      }));

  it('given statements before 1970, then each counts from its own day (a view built in bulk and one fed event by event alike)', () =>
    spec()
      .given([
        by('a', stated('s1', 'tighten', '1969-12-30T23:30:00Z')),
        by('a', stated('s2', 'not-yet', '1969-12-31T00:30:00Z')),
        by('b', stated('s3', 'no-lifting', '1969-12-31T23:59:59Z')),
        by('b', stated('s4', 'tighten', '1970-01-01')),
      ])
      .thenAnswer((read) =>
        expect(countsOf(read, '1969-12-29', '1970-01-01')).toEqual([
          ['1969-12-29', {}],
          ['1969-12-30', { tighten: 1 }],
          ['1969-12-31', { 'not-yet': 1, 'no-lifting': 1 }],
          ['1970-01-01', { 'not-yet': 1, tighten: 1 }],
        ]),
      ));

  it('given topics whose ids share a prefix, then their counts do not mix', () =>
    spec()
      .given([by('a', stated('x1', 'tighten', '2025-02-20'), 'sanctions'), by('b', stated('x2', 'not-yet', '2025-02-20'), 'sanctions-relief')])
      .thenAnswer((read) => {
        expect(countsOf(read, '2025-02-20', '2025-02-20', 'sanctions')).toEqual([['2025-02-20', { tighten: 1 }]]);
        expect(countsOf(read, '2025-02-20', '2025-02-20', 'sanctions-relief')).toEqual([['2025-02-20', { 'not-yet': 1 }]]);
        expect(countsOf(read, '2025-02-20', '2025-02-20', 'no-such-topic')).toEqual([['2025-02-20', {}]]);
      }));
});

describe('reading a range of days', () => {
  const STANCES = ['for', 'against', 'neutral', 'unsure', 'both'];
  /** Seven actors who each state a stance every day for 30 days (actor k on day d: stance k × d), so several counts change each day. */
  const busyMonth = () =>
    Array.from({ length: 30 * 7 }, (_, i) => {
      const [day, actor] = [Math.floor(i / 7), i % 7];
      return by(`actor-${actor}`, stated(`s${i}`, STANCES[(actor * day) % 5], dateOf(dayNumber('2025-01-01') + day)));
    });

  /** The rows each query of the stance counts over the month returns, as that query asks them. */
  function rowsPerQuery(db: ReturnType<typeof openViewsDatabase>, runner: ProjectionRunner): number[] {
    const prepared: string[] = [];
    const counts = dailyStanceCounts(new ReadModels(notingPrepares(db, prepared), runner), TOPIC, dayNumber('2025-01-01'), dayNumber('2025-01-30'));
    // Every actor holds a stance on every day of the month.
    expect(counts.map((day) => Object.values(day).reduce((sum, n) => sum + n, 0))).toEqual(Array(30).fill(7));
    const block = (date: string) => Math.floor(dayNumber(date) / 32);
    return prepared.map((sql) => db.prepare(sql).raw().all(...(/block >= \?/.test(sql) ? [TOPIC, block('2025-01-01'), block('2025-01-30')] : [TOPIC, dayNumber('2025-01-01')])).length);
  }

  it('given the counts of several stances changing on every day, then a month is read as at most two rows (blocks of 32 days), built live and rebuilt alike', async () => {
    const { store, append } = recordingStore();
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, [stanceCountsProjection], undefined, 50);
    await runner.start(0);
    await runner.waitFor(await append(busyMonth()));
    // One row per change of a stance's count is up to five a day here, one per day thirty.
    expect(Math.max(...rowsPerQuery(db, runner))).toBeLessThanOrEqual(2);
    await rebuildEvery(runner, [stanceCountsProjection.name]);
    expect(Math.max(...rowsPerQuery(db, runner))).toBeLessThanOrEqual(2);
    runner.stop();
  });
});

/*
 * The view must answer exactly what the reference fold (positionAt, docs/domain.md) answers for every
 * actor on every day: random histories over ten years, with back-dated statements, statements
 * on the same day and instant, corrections of stance and date, and retractions.
 */
describe('the stance-counts view over ten years (property)', () => {
  const FIRST = dayNumber('2016-01-01');
  const LAST = dayNumber('2025-12-31');
  const ACTORS = ['a', 'b', 'c'];
  const STANCES = ['for', 'against', 'neutral'];

  const statedOn = fc.tuple(fc.integer({ min: FIRST - 30, max: LAST + 30 }), fc.constantFrom(null, 'T00:30:00+01:00', 'T12:00:00Z', 'T23:30:00-05:00')).map(([d, time]) => `${dateOf(d)}${time ?? ''}`);
  const step = fc.record({ kind: fc.constantFrom('state', 'state', 'state', 'correct', 'retract'), actor: fc.constantFrom(...ACTORS), pick: fc.nat(), stance: fc.constantFrom(...STANCES), statedOn, moveDate: fc.boolean() });

  type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

  function history(steps: readonly Step[]): GivenEvent[] {
    const events: GivenEvent[] = [];
    const made: { id: string; actor: string }[] = [];
    steps.forEach((s, i) => {
      if (s.kind === 'state' || made.length === 0) {
        made.push({ id: `s${i}`, actor: s.actor });
        events.push(by(s.actor, stated(`s${i}`, s.stance, s.statedOn)));
        return;
      }
      const target = made[s.pick % made.length];
      const event = s.kind === 'retract' ? retracted(target.id) : corrected(target.id, { stance: s.stance, ...(s.moveDate && { statedOn: s.statedOn }) });
      events.push(by(target.actor, event));
    });
    return events;
  }

  function referenceCounts(log: readonly StoredEvent[]): Record<string, number>[] {
    const streams = ACTORS.map((actor) =>
      log.filter((e) => e.streamId.startsWith(`position-${actor}.`)).map((e): Recorded<PositionEvent> => ({ ...toDomainEvent<PositionEvent>(e), position: e.position, recordedAt: e.recordedAt })),
    );
    const days: Record<string, number>[] = [];
    for (let day = FIRST; day <= LAST; day++) {
      const counts: Record<string, number> = {};
      for (const events of streams) {
        const { stance } = positionAt(events, dateOf(day));
        if (stance !== null) counts[stance] = (counts[stance] ?? 0) + 1;
      }
      days.push(counts);
    }
    return days;
  }

  it('given random histories, then every day of ten years counts what positionAt answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        let reference: Record<string, number>[] | undefined;
        await projectionSpec(stanceCountsProjection)
          .given(history(steps))
          .thenAnswer((read, log) => expect(dailyStanceCounts(read, TOPIC, FIRST, LAST)).toEqual((reference ??= referenceCounts(log))));
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});
