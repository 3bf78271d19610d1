import { positionStream as streamOf } from '@positions/domain';
import { type EventStore, openStore } from '@positions/event-store';
import { actorBody, affiliationBody, sanctionsReliefBody, statementBody, type StatementBody } from '@positions/testing';
import { type Answer, type KeyRole, startService, type StartOptions, type TestService } from './app-harness';

/*
 * The one set of helpers the e2e specs share: the API's error shape and envelope, "nothing was
 * written", a clock a test can move, and builders for the seed article's world (the topic, its
 * actors, statements, corrections and retractions), all over HTTP.
 */

export { statementBody };

export const TOPIC = 'russia-sanctions-relief';
export const REASON = 'The article dates the remark to the week before';

/** The five codes of the seed codebook and their scores (docs/domain.md, "An example"). */
export const SCORE = { 'lift-unconditionally': 2, 'concessions-needed': 1, 'not-yet': 0, 'no-lifting': -1, tighten: -2 } as const;
export type Code = keyof typeof SCORE;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The API's one error shape: `{statusCode, error, message (one string), details: [{field, problem}]}`, naming `field` when given. */
export function expectError(answer: Answer, status: number, field?: string): void {
  expect({ status: answer.status, statusCode: answer.body?.statusCode }).toEqual({ status, statusCode: status });
  expect(Object.keys(answer.body).sort()).toEqual(['details', 'error', 'message', 'statusCode']);
  expect(answer.body).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String), details: expect.any(Array) });
  expect(answer.body.message.length).toBeGreaterThan(0);
  for (const detail of answer.body.details) expect(detail).toEqual({ field: expect.any(String), problem: expect.any(String) });
  if (field !== undefined) expect(answer.body.details.map((d: { field: string }) => d.field)).toContain(field);
}

/** The envelope every event is read back with (docs/domain.md, "The envelope"), exactly these keys. */
export const ENVELOPE_KEYS = ['causationId', 'correlationId', 'data', 'eventId', 'position', 'recordedAt', 'recordedBy', 'schemaVersion', 'streamId', 'streamPosition', 'type'];

export function expectEnvelope(event: any): void {
  expect(Object.keys(event).sort()).toEqual(ENVELOPE_KEYS);
  expect(event.eventId).toMatch(UUID);
  expect(event.recordedAt).toMatch(UTC_MS);
  expect(Number.isInteger(event.position) && event.position > 0).toBe(true);
  expect(Number.isInteger(event.streamPosition) && event.streamPosition >= 0).toBe(true);
  expect(event.schemaVersion).toBeGreaterThanOrEqual(1);
  expect(typeof event.correlationId).toBe('string');
  expect(event.causationId === null || typeof event.causationId === 'string').toBe(true);
  expect(typeof event.data).toBe('object');
}

/** The whole log, read page by page through `GET /api/events`. */
export async function wholeLog(service: TestService, query = ''): Promise<any[]> {
  const events: any[] = [];
  for (let after = 0; ; ) {
    const page = await ok(service.get(`/api/events?after=${after}&limit=1000${query ? `&${query}` : ''}`), 200);
    events.push(...page.body.events);
    if (page.body.next === null) return events;
    after = page.body.next;
  }
}

/** The log's last global position as `/api/events` shows it (0: empty), and how many events it holds. */
export async function logEnd(service: TestService): Promise<{ last: number; count: number }> {
  const events = await wholeLog(service);
  return { last: events.length ? events[events.length - 1].position : 0, count: events.length };
}

type Pair = [actorId: string, topicId: string];

/** Everything a client can see of the record: the log's end, the listings, and the positions of `pairs`. */
export async function snapshot(service: TestService, pairs: Pair[] = []): Promise<unknown> {
  const actors = await service.get('/api/actors');
  const topics = await service.get('/api/topics');
  const positions = await Promise.all(
    pairs.map(async ([a, t]) => (await service.get(`/api/actors/${a}/positions/${t}?at=2999-12-31&knownAt=2999-12-31`)).body),
  );
  return { log: await logEnd(service), actors: actors.body, topics: topics.body, positions };
}

/**
 * Runs a request that must write nothing, and checks that nothing moved: not the log's end, not
 * the actor and topic listings, not the positions of `pairs`. Answers what the request answered.
 */
export async function expectNothingWritten<T>(service: TestService, request: () => Promise<T>, pairs: Pair[] = []): Promise<T> {
  const before = await snapshot(service, pairs);
  const result = await request();
  expect(await snapshot(service, pairs)).toEqual(before);
  return result;
}

/** A clock the test moves: `clock.set(iso)`, `clock.advance(ms)` (both answer the new time); `clock.now` is the service's clock. */
export interface MovableClock {
  now: () => Date;
  set: (iso: string) => string;
  advance: (ms: number) => string;
  iso: () => string;
}

export function movableClock(start: string): MovableClock {
  let current = Date.parse(start);
  const iso = () => new Date(current).toISOString();
  return {
    now: () => new Date(current),
    set: (at) => ((current = Date.parse(at)), iso()),
    advance: (ms) => ((current += ms), iso()),
    iso,
  };
}

/** Fails the test at once, with the answer, when the status is not the expected one. */
export async function ok(answer: Promise<Answer>, status = 201): Promise<Answer> {
  const result = await answer;
  if (result.status !== status) throw new Error(`expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  return result;
}

/** The US government, Rubio (Secretary of State from 2025-01-21, speaking for it), Trump, and the sanctions-relief topic. */
export async function seedWorld(service: TestService): Promise<void> {
  await ok(service.post('/api/actors', actorBody('usGovernment')));
  await ok(service.post('/api/actors', actorBody('rubio')));
  await ok(service.post('/api/actors', actorBody('trump')));
  await ok(service.post('/api/actors/marco-rubio/affiliations', affiliationBody('rubio')));
  await ok(service.post('/api/topics', sanctionsReliefBody()));
}

/** Starts the service with the sanctions-relief topic opened. */
export async function startWithTopic(options: StartOptions = {}): Promise<TestService> {
  const service = await startService(options);
  await ok(service.post('/api/topics', sanctionsReliefBody()));
  return service;
}

let people = 0;
/** Registers a new person with a unique id, so that each test has its own actor–topic stream. */
export async function freshPerson(service: TestService, prefix = 'person'): Promise<string> {
  const id = `${prefix}-${++people}`;
  await ok(service.post('/api/actors', { id, name: `Test person ${people}`, kind: 'person' }));
  return id;
}

/** Records a statement on the sanctions-relief topic, failing the test unless it is 201; answers its id and the whole answer. */
export async function say(service: TestService, actorId: string, stance: Code | string, statedOn: string, overrides: Partial<StatementBody> = {}) {
  const answer = await ok(service.post('/api/statements', statementBody({ actorId, topicId: TOPIC, stance, statedOn, ...overrides })));
  return { id: answer.body.statementId as string, answer };
}

export function correct(service: TestService, statementId: string, changes: Record<string, unknown>, reason: unknown = REASON, as: KeyRole | null = 'editor', headers?: Record<string, string>) {
  return service.post(`/api/statements/${statementId}/corrections`, { changes, reason }, as, headers);
}

export function retract(service: TestService, statementId: string, reason: unknown = 'Misattributed', as: KeyRole | null = 'editor', headers?: Record<string, string>) {
  return service.post(`/api/statements/${statementId}/retractions`, { reason }, as, headers);
}

/** The position answer on the sanctions-relief topic. */
export function positionOf(service: TestService, actorId: string, query = ''): Promise<Answer> {
  return service.get(`/api/actors/${actorId}/positions/${TOPIC}${query ? `?${query}` : ''}`);
}

export function timelineOf(service: TestService, actorId: string, query = ''): Promise<Answer> {
  return service.get(`/api/actors/${actorId}/positions/${TOPIC}/timeline${query ? `?${query}` : ''}`);
}

/** The actor–topic stream's name, as the log shows it in `streamId`. */
export const positionStream = (actorId: string, topicId = TOPIC) => streamOf(actorId, topicId);

/** The stream position an answer's `ETag` carries (`"3"` or `3`). */
export function etagPosition(answer: Answer): number {
  const etag = String(answer.headers.etag ?? '');
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(etag);
  if (!match) throw new Error(`no stream position in ETag '${etag}'`);
  return Number(match[1]);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store calls a command makes, each made to wait for the event loop as a networked store (KurrentDB) does. */
const SLOW_CALLS = new Set(['readStream', 'findIdempotent', 'append', 'readAll', 'lastPosition']);

function withLatency(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!SLOW_CALLS.has(String(property))) return value.bind(target);
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return value.apply(target, args);
      };
    },
  });
}

/**
 * The real service on the configured store (SQLite unless E2E_STORE says otherwise), with every store call answering on a later turn of
 * the event loop: requests sent together interleave between reading a stream and appending
 * to it, as they do with a store across a network. Same API as `startService` (no restart).
 */
export function startServiceWithLatency(): Promise<TestService> {
  return startService({ openStore: async (_dataDir, settings) => withLatency(await openStore(settings)) });
}
