import type { Answer, TestService } from './support/app-harness';
import {
  correct,
  expectError,
  expectNothingWritten,
  logEnd,
  freshPerson,
  ok,
  positionOf,
  say,
  retract,
  startWithTopic,
  startServiceWithLatency,
  statementBody,
  timelineOf,
  TOPIC,
} from './support/world';

const CODES = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];
const day = (i: number) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
const etag = (answer: Answer) => String(answer.headers.etag ?? '');
const streamPosition = (answer: Answer) => Number(/^(?:W\/)?"?(-?\d+)"?$/.exec(etag(answer))?.[1] ?? NaN);

/** 30 statements sent at once to one actor–topic stream (no If-Match): all kept, each at its own position. */
async function thirtyToOneStream(service: TestService): Promise<void> {
  const actor = await freshPerson(service, 'crowded');
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => service.post('/api/statements', statementBody({ actorId: actor, stance: CODES[i % 5], statedOn: day(i) }))));
  expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
  expect(new Set(answers.map((a) => a.body.position)).size).toBe(30);
  expect(new Set(answers.map((a) => a.body.statementId)).size).toBe(30);
  expect(answers.map(streamPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  const timeline = await ok(timelineOf(service, actor), 200);
  expect(timeline.body.entries.map((e: { statementId: string }) => e.statementId)).toEqual(answers.map((a) => a.body.statementId));
}

/** 10 identical requests with one Idempotency-Key at once: one write, ten equal answers. */
async function tenRepeatsAtOnce(service: TestService, url: string, body: unknown, as: 'recorder' | 'editor'): Promise<void> {
  const before = await logEnd(service);
  const answers = await Promise.all(Array.from({ length: 10 }, () => service.post(url, body, as, { 'idempotency-key': `at-once-${url}` })));
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
  for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
  expect((await logEnd(service)).count).toBe(before.count + 1);
}

describe('audit: If-Match on POST /api/statements', () => {
  let service: TestService;
  beforeAll(async () => (service = await startWithTopic()));
  afterAll(() => service.close());

  it('accepts -1 on a new stream, and the ETag of each answer as the next If-Match', async () => {
    const actor = await freshPerson(service);
    const first = await ok(service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(0) }), 'recorder', { 'if-match': '-1' }));
    expect(etag(first)).toMatch(/^(W\/)?"?0"?$/);
    const second = await ok(service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(1) }), 'recorder', { 'if-match': etag(first) }));
    expect(streamPosition(second)).toBe(1);
    const third = await ok(service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(2) }), 'recorder', { 'if-match': String(streamPosition(second)) }));
    expect(streamPosition(third)).toBe(2);
    // Corrections and retractions move the stream too: the next writer must have seen them.
    await ok(correct(service, third.body.statementId, { summary: 'Moved the stream' }));
    const stale = await expectNothingWritten(service, () => service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(3) }), 'recorder', { 'if-match': etag(third) }));
    expectError(stale, 412);
    await ok(service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(3) }), 'recorder', { 'if-match': '3' }));
  });

  it('answers 412 for a stale or a too-new position, and for -1 on a stream that has events, writing nothing', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'not-yet', day(0));
    for (const ifMatch of ['-1', '5', '"7"']) {
      const refused = await expectNothingWritten(service, () => service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(1) }), 'recorder', { 'if-match': ifMatch }));
      expectError(refused, 412);
    }
    expect((await ok(timelineOf(service, actor), 200)).body.entries).toHaveLength(1);
  });

  it.each(['abc', '', '1.5', '-2'])('answers 400 for If-Match: %j, writing nothing', async (ifMatch) => {
    const actor = await freshPerson(service);
    const refused = await expectNothingWritten(service, () => service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(0) }), 'recorder', { 'if-match': ifMatch }));
    expectError(refused, 400, 'If-Match');
  });

  it('lets exactly one of 10 parallel writers with the same If-Match win; the rest get 412', async () => {
    const actor = await freshPerson(service);
    const first = await say(service, actor, 'not-yet', day(0));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => service.post('/api/statements', statementBody({ actorId: actor, stance: CODES[i % 5], statedOn: day(i + 1) }), 'recorder', { 'if-match': etag(first.answer) })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(412)]);
    answers.filter((a) => a.status === 412).forEach((a) => expectError(a, 412));
    const winner = answers.find((a) => a.status === 201)!;
    expect(streamPosition(winner)).toBe(1);
    const timeline = await ok(timelineOf(service, actor), 200);
    expect(timeline.body.entries.map((e: { statementId: string }) => e.statementId)).toEqual([first.id, winner.body.statementId]);
  });
});

describe('audit: concurrent writers never lose an update', () => {
  let service: TestService;
  beforeAll(async () => (service = await startWithTopic()));
  afterAll(() => service.close());

  it('keeps all of 30 statements sent in parallel to ONE actor–topic stream without If-Match', async () => {
    await thirtyToOneStream(service);
  });

  it('keeps all of 30 statements sent in parallel to 30 different streams', async () => {
    const actors = await Promise.all(Array.from({ length: 30 }, () => freshPerson(service, 'apart')));
    const answers = await Promise.all(actors.map((actor, i) => service.post('/api/statements', statementBody({ actorId: actor, stance: CODES[i % 5], statedOn: day(i) }))));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
    expect(new Set(answers.map((a) => a.body.position)).size).toBe(30);
    expect(answers.map(streamPosition)).toEqual(Array(30).fill(0));
    const positions = await Promise.all(actors.map((actor) => positionOf(service, actor)));
    expect(positions.map((p) => p.body.statement?.statementId)).toEqual(answers.map((a) => a.body.statementId));
    expect(positions.map((p) => p.body.stance?.code)).toEqual(actors.map((_, i) => CODES[i % 5]));
  });

  it('keeps parallel corrections of different statements of one stream, and a retraction among them', async () => {
    const actor = await freshPerson(service);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await say(service, actor, 'not-yet', day(i))).id);
    const answers = await Promise.all(ids.map((id, i) => (i === 5 ? retract(service, id) : correct(service, id, { summary: `Fix ${i}` }))));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    const timeline = await ok(timelineOf(service, actor), 200);
    expect(timeline.body.entries.map((e: { summary: string }) => e.summary)).toEqual(['Fix 0', 'Fix 1', 'Fix 2', 'Fix 3', 'Fix 4']);
  });
});

/*
 * The same races against a store whose calls wait for the event loop, as a networked store
 * (KurrentDB) does: there, requests interleave between reading a stream and appending to it.
 */
describe('audit: concurrency with a store that answers asynchronously', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startServiceWithLatency();
    await ok(service.post('/api/topics', { id: TOPIC, title: 'Relief', proposition: 'Lift', stances: CODES.map((code, i) => ({ code, label: code, score: 2 - i })) }));
  });
  afterAll(() => service.close());

  it('lets exactly one of 10 parallel writers with the same If-Match win', async () => {
    const actor = await freshPerson(service);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => service.post('/api/statements', statementBody({ actorId: actor, statedOn: day(i) }), 'recorder', { 'if-match': '-1' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(412)]);
  });

  it('writes once for 10 parallel statements with one Idempotency-Key', async () => {
    await tenRepeatsAtOnce(service, '/api/statements', statementBody({ actorId: await freshPerson(service), statedOn: day(0) }), 'recorder');
  });

  it.each([
    ['register an actor', async () => ({ url: '/api/actors', body: { id: `at-once-${Date.now()}`, name: 'At once', kind: 'person' }, as: 'recorder' as const })],
    ['correct a statement', async (s: TestService) => ({ url: `/api/statements/${(await say(s, await freshPerson(s), 'not-yet', day(0))).id}/corrections`, body: { changes: { stance: 'tighten' }, reason: 'r' }, as: 'editor' as const })],
    ['retract a statement', async (s: TestService) => ({ url: `/api/statements/${(await say(s, await freshPerson(s), 'not-yet', day(0))).id}/retractions`, body: { reason: 'r' }, as: 'editor' as const })],
  ])('writes once for 10 parallel requests to %s with one Idempotency-Key', async (_, prepare) => {
    const { url, body, as } = await prepare(service);
    await tenRepeatsAtOnce(service, url, body, as);
  });

  it('keeps all of 30 statements sent in parallel to ONE actor–topic stream without If-Match', async () => {
    await thirtyToOneStream(service);
  });
});
