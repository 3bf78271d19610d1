import type { TestService } from './support/app-harness';
import { correct, logEnd, freshPerson, ok, positionOf, say, retract, startWithTopic, statementBody, timelineOf, TOPIC, UTC_MS } from './support/world';

const STATEMENT_KEYS = ['actorId', 'correctedAt', 'onBehalfOf', 'quote', 'recordedAt', 'retracted', 'source', 'stance', 'statedOn', 'statementId', 'summary', 'topicId'];
const NOT_YET = { code: 'not-yet', label: 'Nothing lifted for now; may be lifted at some point', score: 0 };
const CONCESSIONS = { code: 'concessions-needed', label: 'Relief is possible within a settlement with concessions from all sides', score: 1 };

/** The stance code of the position, and the statement it rests on. */
async function stanceAt(service: TestService, actor: string, at: string) {
  const answer = await ok(positionOf(service, actor, `at=${at}`), 200);
  return { code: answer.body.stance?.code ?? null, statementId: answer.body.statement?.statementId ?? null };
}

describe('audit: corrections and retractions as seen now', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startWithTopic();
    await ok(service.post('/api/actors', { id: 'us-government', name: 'United States government', kind: 'government' }));
  });
  afterAll(() => service.close());

  it('answers a correction 201 {statementId, recordedAt, position}, the position being the log end', async () => {
    const actor = await freshPerson(service);
    const { id, answer: recorded } = await say(service, actor, 'concessions-needed', '2025-02-18');
    const corrected = await correct(service, id, { stance: 'not-yet' });
    expect(corrected.status).toBe(201);
    expect(Object.keys(corrected.body).sort()).toEqual(['position', 'recordedAt', 'statementId']);
    expect(corrected.body.statementId).toBe(id);
    expect(corrected.body.recordedAt).toMatch(UTC_MS);
    expect(Date.parse(corrected.body.recordedAt)).toBeGreaterThanOrEqual(Date.parse(recorded.body.recordedAt));
    expect(corrected.body.position).toBeGreaterThan(recorded.body.position);
    expect(corrected.body.position).toBe((await logEnd(service)).last);
  });

  it('shows the corrected fields in GET /api/statements/{id} and the position, with correctedAt and the first recordedAt', async () => {
    const actor = await freshPerson(service);
    const { id, answer: recorded } = await say(service, actor, 'concessions-needed', '2025-02-18');
    const before = await ok(service.get(`/api/statements/${id}`), 200);
    expect(Object.keys(before.body).sort()).toEqual(STATEMENT_KEYS);
    expect(before.body).toEqual({
      ...statementBody({ actorId: actor, topicId: TOPIC, statedOn: '2025-02-18' }),
      statementId: id,
      stance: CONCESSIONS,
      onBehalfOf: null,
      retracted: false,
      recordedAt: recorded.body.recordedAt,
      correctedAt: null,
    });

    const changes = { stance: 'not-yet', summary: 'No relief for now', quote: 'Not yet', source: { url: 'https://example.org/corrected', publisher: 'Example' } };
    const corrected = await ok(correct(service, id, changes));
    const after = await ok(service.get(`/api/statements/${id}`), 200);
    expect(after.body).toEqual({
      ...before.body,
      stance: NOT_YET,
      summary: 'No relief for now',
      quote: 'Not yet',
      source: { url: 'https://example.org/corrected', publisher: 'Example' }, // the whole source is replaced
      correctedAt: corrected.body.recordedAt,
    });
    const position = await ok(positionOf(service, actor, 'at=2025-02-20'), 200);
    expect(position.body).toMatchObject({
      stance: NOT_YET,
      since: '2025-02-18',
      statement: { statementId: id, statedOn: '2025-02-18', summary: 'No relief for now', quote: 'Not yet', source: { url: 'https://example.org/corrected', publisher: 'Example' } },
    });
  });

  it('applies corrections one after another: each changes only what it names, correctedAt is the last one', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'tighten', '2025-02-10');
    await ok(correct(service, id, { summary: 'First fix' }));
    const second = await ok(correct(service, id, { stance: 'no-lifting' }));
    const now = await ok(service.get(`/api/statements/${id}`), 200);
    expect(now.body).toMatchObject({ stance: { code: 'no-lifting' }, summary: 'First fix', statedOn: '2025-02-10', correctedAt: second.body.recordedAt });
  });

  it('corrects onBehalfOf when the speaker has an affiliation on statedOn', async () => {
    const actor = await freshPerson(service);
    await ok(service.post(`/api/actors/${actor}/affiliations`, { organizationId: 'us-government', role: 'Envoy', from: '2025-01-01', speaksFor: true }));
    const { id } = await say(service, actor, 'not-yet', '2025-02-18');
    await ok(correct(service, id, { onBehalfOf: 'us-government' }));
    expect((await service.get(`/api/statements/${id}`)).body.onBehalfOf).toBe('us-government');
    expect((await positionOf(service, actor)).body.statement.onBehalfOf).toBe('us-government');
  });

  it('moves a statement after `at` and back before it by correcting statedOn', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-20');
    expect(await stanceAt(service, actor, '2025-02-19')).toEqual({ code: null, statementId: null });

    await ok(correct(service, id, { statedOn: '2025-02-18' }));
    expect(await stanceAt(service, actor, '2025-02-19')).toEqual({ code: 'not-yet', statementId: id });
    expect((await positionOf(service, actor, 'at=2025-02-19')).body.since).toBe('2025-02-18');

    await ok(correct(service, id, { statedOn: '2025-02-25T10:00:00+01:00' }));
    expect(await stanceAt(service, actor, '2025-02-24')).toEqual({ code: null, statementId: null });
    expect(await stanceAt(service, actor, '2025-02-25T08:59:59Z')).toEqual({ code: null, statementId: null });
    expect(await stanceAt(service, actor, '2025-02-25T09:00:00Z')).toEqual({ code: 'not-yet', statementId: id });
  });

  it('changes which statement wins when a correction moves one past another', async () => {
    const actor = await freshPerson(service);
    const early = await say(service, actor, 'tighten', '2025-02-10');
    const late = await say(service, actor, 'concessions-needed', '2025-02-20');
    expect(await stanceAt(service, actor, '2025-02-28')).toEqual({ code: 'concessions-needed', statementId: late.id });
    await ok(correct(service, early.id, { statedOn: '2025-02-25' }));
    expect(await stanceAt(service, actor, '2025-02-28')).toEqual({ code: 'tighten', statementId: early.id });
    expect(await stanceAt(service, actor, '2025-02-22')).toEqual({ code: 'concessions-needed', statementId: late.id });
    expect(await stanceAt(service, actor, '2025-02-15')).toEqual({ code: null, statementId: null });
  });

  it('answers a retraction 201 {statementId, recordedAt, position} and falls back to the previous statement', async () => {
    const actor = await freshPerson(service);
    const earlier = await say(service, actor, 'concessions-needed', '2025-02-18');
    const later = await say(service, actor, 'tighten', '2025-02-24');
    expect(await stanceAt(service, actor, '2025-02-26')).toEqual({ code: 'tighten', statementId: later.id });

    const retracted = await retract(service, later.id, 'Misattributed: the words were a spokesperson’s');
    expect(retracted.status).toBe(201);
    expect(Object.keys(retracted.body).sort()).toEqual(['position', 'recordedAt', 'statementId']);
    expect(retracted.body).toEqual({ statementId: later.id, recordedAt: expect.stringMatching(UTC_MS), position: (await logEnd(service)).last });

    expect(await stanceAt(service, actor, '2025-02-26')).toEqual({ code: 'concessions-needed', statementId: earlier.id });
    expect((await positionOf(service, actor, 'at=2025-02-26')).body.since).toBe('2025-02-18');
    const shown = await ok(service.get(`/api/statements/${later.id}`), 200);
    expect(shown.body).toMatchObject({ statementId: later.id, retracted: true, stance: { code: 'tighten' }, correctedAt: null });
    expect((await timelineOf(service, actor)).body.entries.map((e: { statementId: string }) => e.statementId)).toEqual([earlier.id]);
  });

  it('leaves no known position when the only statement is retracted (200 with nulls)', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    await ok(retract(service, id));
    const answer = await ok(positionOf(service, actor), 200);
    expect(answer.body).toMatchObject({ actorId: actor, topicId: TOPIC, stance: null, since: null, statement: null });
  });

  it('restores the run of a stance when the statement that broke it is retracted', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'tighten', '2025-01-10');
    const breaker = await say(service, actor, 'not-yet', '2025-01-20');
    await say(service, actor, 'tighten', '2025-01-30');
    expect((await positionOf(service, actor, 'at=2025-02-01')).body.since).toBe('2025-01-30');
    await ok(retract(service, breaker.id));
    expect((await positionOf(service, actor, 'at=2025-02-01')).body).toMatchObject({ stance: { code: 'tighten' }, since: '2025-01-10' });
  });

  it('lets an admin correct and retract too (roles include those before them)', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    await ok(correct(service, id, { summary: 'Fixed by an admin' }, 'Typo', 'admin'));
    await ok(retract(service, id, 'Duplicate', 'admin'));
    expect((await service.get(`/api/statements/${id}`)).body).toMatchObject({ summary: 'Fixed by an admin', retracted: true });
  });
});
