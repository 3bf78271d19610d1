import { formatInstant, positionAt, type PositionEvent, positionStream, type Recorded, type StatementFields } from '@positions/domain';
import { MemoryEventStore } from '@positions/event-store';
import fc from 'fast-check';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { KNOWN_NOW } from './statements.reader';
import { openViewsDatabase } from './views-database';

const STREAM = positionStream('donald-trump', 'russia-sanctions-relief');
const DAY = 86_400_000;
const T0 = Date.parse('2025-03-01T00:00:00.000Z');

/** A store whose clock the test moves, with the views following it. */
async function views() {
  let now = T0;
  const store = new MemoryEventStore({ clock: () => new Date(now) });
  const db = openViewsDatabase(':memory:');
  const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS);
  await runner.start();
  const record = async (event: PositionEvent, advanceMs = 1000) => {
    now += advanceMs;
    const result = await store.append(STREAM, [{ type: event.type, schemaVersion: 1, data: event.data }], 'any', { recordedBy: 'test', correlationId: 'c', causationId: null });
    await runner.waitFor(result.position);
    return result;
  };
  const log = async () => (await store.readStream(STREAM)).map((e) => ({ type: e.type, data: e.data, position: e.position, recordedAt: e.recordedAt }) as Recorded<PositionEvent>);
  return { record, log, read: new ReadModels(db, runner), at: () => now };
}

const fields = (stance: string, statedOn: string): StatementFields => ({ stance, statedOn, summary: `${stance} on ${statedOn}`, source: { title: 'report' } });
const stated = (statementId: string, stance: string, statedOn: string): PositionEvent => ({ type: 'PositionStated', data: { statementId, ...fields(stance, statedOn) } });

describe('the statements index (given events, then positionAt)', () => {
  it('answers with the latest statement stated by the date, and since from the run of its stance', async () => {
    const { record, read } = await views();
    await record(stated('s1', 'no-lifting', '2025-02-10'));
    await record(stated('s2', 'not-yet', '2025-02-18'));
    await record(stated('s3', 'not-yet', '2025-02-26'));
    const answer = read.positionAt('donald-trump', 'russia-sanctions-relief', Date.parse('2025-02-27T00:00:00Z'));
    expect(answer).toMatchObject({ statement: { statementId: 's3' }, since: '2025-02-18' });
    expect(read.positionAt('donald-trump', 'russia-sanctions-relief', Date.parse('2025-02-12T00:00:00Z'))?.statement?.statementId).toBe('s1');
    expect(read.positionAt('donald-trump', 'russia-sanctions-relief', Date.parse('2025-02-09T23:59:59Z'))).toBeNull();
  });

  it('serves a correction from its record time on, and the old version before it', async () => {
    const { record, read, at } = await views();
    await record(stated('s1', 'no-lifting', '2025-02-10'));
    const before = at();
    await record({ type: 'StatementCorrected', data: { statementId: 's1', changes: { stance: 'tighten' }, reason: 'misread' } }, DAY);
    const asOf = (knownAt: number) => read.positionAt('donald-trump', 'russia-sanctions-relief', KNOWN_NOW, knownAt)?.statement?.fields.stance;
    expect(asOf(KNOWN_NOW)).toBe('tighten');
    expect(asOf(before)).toBe('no-lifting');
  });

  it('falls back to the previous statement after a retraction', async () => {
    const { record, read } = await views();
    await record(stated('s1', 'no-lifting', '2025-02-10'));
    await record(stated('s2', 'lift-unconditionally', '2025-02-20'));
    await record({ type: 'StatementRetracted', data: { statementId: 's2', reason: 'misattributed' } });
    expect(read.positionAt('donald-trump', 'russia-sanctions-relief', KNOWN_NOW)?.statement?.statementId).toBe('s1');
  });

  it('reads past its first rows when a run of one stance is longer than them: since is where the run starts', async () => {
    const { record, log, read } = await views();
    // One statement of another stance, then twelve of the same: the answer needs all thirteen rows.
    await record(stated('s0', 'tighten', '2025-02-01'));
    for (let day = 2; day <= 13; day++) await record(stated(`s${day}`, 'not-yet', `2025-02-${String(day).padStart(2, '0')}`));
    const answer = read.positionAt('donald-trump', 'russia-sanctions-relief', KNOWN_NOW);
    expect({ id: answer?.statement?.statementId, since: answer?.since }).toEqual({ id: 's13', since: '2025-02-02' });
    expect(answer?.since).toBe(positionAt(await log(), '2025-02-28').since);
    // Asked in the middle of the run, the same: the run starts on 2 February.
    expect(read.positionAt('donald-trump', 'russia-sanctions-relief', endOf('2025-02-10'))?.since).toBe('2025-02-02');
  });
});

/** One step of a generated history: a statement, or a correction or retraction of the n-th live one. */
type Step =
  | { kind: 'state'; stance: string; statedOn: string; advance: number }
  | { kind: 'correct'; pick: number; stance?: string; statedOn?: string; advance: number }
  | { kind: 'retract'; pick: number; advance: number };

const stance = fc.constantFrom('tighten', 'no-lifting', 'not-yet');
/** Days in February 2025, as a date or a date-time with an offset, so ties and offsets both occur. */
const dayOf = (d: number) => `2025-02-${String(d).padStart(2, '0')}`;
const qualifier = fc.constantFrom('', '', '~', '?', '%');
/** Days and date-times mixed with months, years, intervals and qualified forms (EDTF level 1). */
const statedOn = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 28 }).map(dayOf) },
  fc.tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom('00:30:00+01:00', '12:00:00Z', '23:30:00-05:00')).map(([d, t]) => `${dayOf(d)}T${t}`),
  fc.tuple(fc.constantFrom('2025-01', '2025-02', '2025-03', '2025'), qualifier).map(([m, q]) => `${m}${q}`),
  fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 10 }), qualifier).map(([d, n, q]) => `${dayOf(d)}${q}/${n + d > 28 ? '2025-03-0' + String(Math.min(9, n + d - 28)) : dayOf(n + d)}`),
  fc.tuple(fc.integer({ min: 1, max: 28 }), qualifier).map(([d, q]) => `${dayOf(d)}${q}`),
  fc.constantFrom('2025-01/2025-02', '2024/2025', '2025-02-17/2025-02-23'),
);
/** A question's date: a day or an instant of February and early March. */
const questionAt = fc.oneof(
  fc.integer({ min: 1, max: 28 }).map(dayOf),
  fc.integer({ min: 0, max: 40 * 24 }).map((h) => formatInstant(Date.parse('2025-02-01T00:00:00Z') + h * 3_600_000)),
);
const SCORES: Record<string, number> = { tighten: -2, 'no-lifting': -1, 'not-yet': 0 };
const scoreOf = (code: string) => SCORES[code] ?? 0;
const advance = fc.constantFrom(0, 1, 60_000, DAY);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('state' as const), stance, statedOn, advance }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), stance: fc.option(stance, { nil: undefined }), statedOn: fc.option(statedOn, { nil: undefined }), advance }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), pick: fc.nat(), advance }) },
);

describe('the statements index agrees with the reference fold', () => {
  it('for random histories of statements, corrections and retractions, at random (at, knownAt)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(questionAt, fc.nat({ max: 40 * DAY })), { minLength: 1, maxLength: 8 }), async (steps, questions) => {
        const { record, log, read } = await views();
        const live: string[] = [];
        for (const [i, s] of steps.entries()) {
          if (s.kind === 'state') {
            live.push(`s${i}`);
            await record(stated(`s${i}`, s.stance, s.statedOn), s.advance);
          } else if (live.length > 0) {
            const id = live[s.pick % live.length];
            if (s.kind === 'retract') live.splice(live.indexOf(id), 1);
            const changes = { ...(s.kind === 'correct' && s.stance && { stance: s.stance }), ...(s.kind === 'correct' && s.statedOn && { statedOn: s.statedOn }) };
            const event: PositionEvent = s.kind === 'retract' ? { type: 'StatementRetracted', data: { statementId: id, reason: 'r' } } : { type: 'StatementCorrected', data: { statementId: id, changes: Object.keys(changes).length ? changes : { summary: `fixed ${i}` }, reason: 'r' } };
            await record(event, s.advance);
          }
        }
        const events = await log();
        for (const [at, knownOffset] of questions) {
          const knownAt = formatInstant(T0 + knownOffset);
          const reference = positionAt(events, at, knownAt, scoreOf);
          const indexed = read.positionAt('donald-trump', 'russia-sanctions-relief', endOf(at), Date.parse(knownAt), scoreOf);
          const statement = indexed?.statement;
          expect({
            stance: statement?.fields.stance ?? null,
            since: indexed?.since ?? null,
            id: statement?.statementId ?? null,
            range: statement ? [formatInstant(statement.earliest), formatInstant(statement.latest)] : null,
            certainty: indexed?.certainty ?? 'certain',
            alternatives: indexed?.alternatives ?? [],
          }).toEqual({
            stance: reference.stance,
            since: reference.since,
            id: reference.statement?.statementId ?? null,
            range: reference.statement ? [reference.statement.earliest, reference.statement.latest] : null,
            certainty: reference.certainty,
            alternatives: reference.alternatives,
          });
          const [entry] = read.landscapeEntries('russia-sanctions-relief', endOf(at), Date.parse(knownAt), scoreOf);
          expect(entry ?? null).toEqual(indexed && { actorId: 'donald-trump', statementId: statement?.statementId ?? null, stance: statement?.fields.stance ?? null, since: indexed.since, certainty: indexed.certainty, alternatives: indexed.alternatives });
        }
      }),
      { numRuns: 200 },
    );
  });
});

function endOf(at: string): number {
  return at.length === 10 ? Date.parse(`${at}T23:59:59.999Z`) : Date.parse(at);
}
