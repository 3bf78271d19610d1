import { actorBody, affiliationBody, sanctionsReliefBody, statementBody, type StatementBody } from '@positions/testing';
import type { Answer, TestService } from './app-harness';

/*
 * Small helpers the e2e specs share: the error shape of API.md, "nothing was written"
 * snapshots, a clock a test can move, and builders for the seed article's world.
 */

export const TOPIC = 'russia-sanctions-relief';

/** Asserts API.md's one error shape: `{statusCode, error, message (one string), details: [{field, problem}]}`. */
export function expectError(answer: Answer, status: number, field?: string): void {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { statusCode: status } });
  const body = answer.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['details', 'error', 'message', 'statusCode']);
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(0);
  expect(Array.isArray(body.details)).toBe(true);
  for (const detail of body.details as unknown[]) {
    expect(detail).toEqual({ field: expect.any(String), problem: expect.any(String) });
  }
  if (field !== undefined) expect((body.details as { field: string }[]).map((d) => d.field)).toContain(field);
}

/** Everything a client can see of the record: listings, the positions asked about, and the log's last position. */
export async function snapshot(service: TestService, pairs: [actorId: string, topicId: string][] = []): Promise<unknown> {
  const actors = await service.get('/api/actors');
  const topics = await service.get('/api/topics');
  const positions = await Promise.all(
    pairs.map(async ([a, t]) => (await service.get(`/api/actors/${a}/positions/${t}?at=2999-12-31&knownAt=2999-12-31`)).body),
  );
  const health = await service.get('/health', null);
  return { actors: actors.body, topics: topics.body, positions, lastPosition: health.body?.details?.store?.lastPosition };
}

/** Runs a refused request and asserts the record is the same before and after it. */
export async function expectNothingWritten(service: TestService, pairs: [string, string][], refused: () => Promise<void>): Promise<void> {
  const before = await snapshot(service, pairs);
  await refused();
  expect(await snapshot(service, pairs)).toEqual(before);
}

/** A clock the test sets: `clock.set('2025-03-01T12:00:00Z')`. */
export function manualClock(start: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(start);
  return { now: () => new Date(current.getTime()), set: (iso) => (current = new Date(iso)) };
}

/** POSTs and fails the test at once, with the answer, when it is not the expected status. */
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

let actorCount = 0;
/** Registers a new person with a unique id, so each test has its own actor–topic stream. */
export async function freshPerson(service: TestService, prefix = 'person'): Promise<string> {
  const id = `${prefix}-${++actorCount}`;
  await ok(service.post('/api/actors', { id, name: `Test person ${actorCount}`, kind: 'person' }));
  return id;
}

/** Records a statement on the sanctions-relief topic, failing the test unless it is 201. */
export async function say(service: TestService, actorId: string, stance: string, statedOn: string, overrides: Partial<StatementBody> = {}): Promise<Answer> {
  return ok(service.post('/api/statements', statementBody({ actorId, topicId: TOPIC, stance, statedOn, ...overrides })));
}

/** The position answer on the sanctions-relief topic. */
export async function positionOf(service: TestService, actorId: string, query = ''): Promise<Answer> {
  return service.get(`/api/actors/${actorId}/positions/${TOPIC}${query ? `?${query}` : ''}`);
}

/** The stream position an answer's `ETag` carries (`"3"` or `3`). */
export function etagPosition(answer: Answer): number {
  const etag = String(answer.headers.etag ?? '');
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(etag);
  if (!match) throw new Error(`no stream position in ETag '${etag}'`);
  return Number(match[1]);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
