import { statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, freshPerson, movableClock, ok, positionOf, say, seedWorld, sleep, TOPIC } from './support/world';

/** The stance code and `since` of the answer, the two things a reader of a position looks at. */
async function stanceAt(service: TestService, actor: string, query: string): Promise<{ code: string | null; since: string | null }> {
  const answer = await positionOf(service, actor, query);
  expect(answer.status).toBe(200);
  return { code: answer.body.stance?.code ?? null, since: answer.body.since };
}

describe('positions: GET /api/actors/{a}/positions/{t}?at=&knownAt=', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
  });
  afterAll(() => service.close());

  it('answers in the documented shape, citing the statement it rests on', async () => {
    const actor = await freshPerson(service);
    const recorded = await say(service, actor, 'not-yet', '2025-02-26', { quote: 'No, we haven’t lifted any sanctions', source: { title: 'Press briefing', url: 'https://example.org/b' } });
    const answer = await positionOf(service, actor, 'at=2025-02-26&knownAt=2999-01-01T00:00:00Z');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['actorId', 'alternatives', 'at', 'certainty', 'knownAt', 'since', 'stance', 'statement', 'topicId']);
    expect(answer.body).toMatchObject({
      actorId: actor,
      topicId: TOPIC,
      at: '2025-02-26',
      knownAt: '2999-01-01T00:00:00Z',
      stance: { code: 'not-yet', label: 'Nothing lifted for now; may be lifted at some point', score: 0 },
      since: '2025-02-26',
      statement: {
        statementId: recorded.id,
        statedOn: '2025-02-26',
        summary: statementBody().summary,
        quote: 'No, we haven’t lifted any sanctions',
        source: { title: 'Press briefing', url: 'https://example.org/b' },
      },
    });
    expect(answer.body.stance).toEqual({ code: 'not-yet', label: 'Nothing lifted for now; may be lifted at some point', score: 0 });
  });

  it('answers 200 with nulls when there is no known position (no statement yet, or none stated by then)', async () => {
    const actor = await freshPerson(service);
    expect((await positionOf(service, actor)).body).toMatchObject({ stance: null, since: null, statement: null });
    await say(service, actor, 'tighten', '2025-02-24');
    const before = await positionOf(service, actor, 'at=2025-02-23');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ actorId: actor, topicId: TOPIC, at: '2025-02-23', stance: null, since: null, statement: null });
  });

  it('reads a bare-date `at` as the whole UTC day', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'tighten', '2025-02-24T23:59:59Z');
    expect(await stanceAt(service, actor, 'at=2025-02-24')).toEqual({ code: 'tighten', since: '2025-02-24T23:59:59Z' });
    expect((await stanceAt(service, actor, 'at=2025-02-23')).code).toBeNull();
  });

  it('compares date-times as instants: at=2025-02-26T00:30:00+01:00 is 2025-02-25T23:30Z', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'tighten', '2025-02-25');
    await say(service, actor, 'not-yet', '2025-02-26');
    expect((await stanceAt(service, actor, `at=${encodeURIComponent('2025-02-26T00:30:00+01:00')}`)).code).toBe('tighten');
    expect((await stanceAt(service, actor, 'at=2025-02-25T23:59:59Z')).code).toBe('tighten');
    // A bare-date statedOn begins at 00:00Z of its day.
    expect((await stanceAt(service, actor, 'at=2025-02-26T00:00:00Z')).code).toBe('not-yet');
    expect((await stanceAt(service, actor, `at=${encodeURIComponent('2025-02-25T20:00:00-05:00')}`)).code).toBe('not-yet');
    expect((await stanceAt(service, actor, 'at=2025-02-26')).code).toBe('not-yet');
  });

  it('places a statement stated with a date-time at the instant it names', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'no-lifting', '2025-03-01');
    await say(service, actor, 'concessions-needed', '2025-03-03T10:30:00+01:00');
    expect((await stanceAt(service, actor, 'at=2025-03-03T09:29:59Z')).code).toBe('no-lifting');
    expect(await stanceAt(service, actor, 'at=2025-03-03T09:30:00Z')).toEqual({ code: 'concessions-needed', since: '2025-03-03T10:30:00+01:00' });
    const answer = await positionOf(service, actor, 'at=2025-03-03');
    expect(answer.body.statement.statedOn).toBe('2025-03-03T10:30:00+01:00');
  });

  it('gives a tie on statedOn to the statement recorded later, the same instant written either way', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'no-lifting', '2025-04-01');
    const later = await say(service, actor, 'not-yet', '2025-04-01');
    expect((await positionOf(service, actor, 'at=2025-04-01')).body.statement.statementId).toBe(later.id);
    // 02:00+02:00 is 00:00Z, the same instant as the bare date: recorded last, so it wins.
    const last = await say(service, actor, 'tighten', '2025-04-01T02:00:00+02:00');
    const answer = await positionOf(service, actor, 'at=2025-04-01');
    expect(answer.body.stance.code).toBe('tighten');
    expect(answer.body.statement.statementId).toBe(last.id);
  });

  it('keeps `since` at the start of the unbroken run of the same stance, across restatements', async () => {
    const actor = await freshPerson(service);
    await say(service, actor, 'not-yet', '2025-01-10');
    await say(service, actor, 'tighten', '2025-01-20');
    await say(service, actor, 'tighten', '2025-01-25');
    await say(service, actor, 'tighten', '2025-02-05');
    await say(service, actor, 'not-yet', '2025-02-10');
    expect(await stanceAt(service, actor, 'at=2025-01-15')).toEqual({ code: 'not-yet', since: '2025-01-10' });
    expect(await stanceAt(service, actor, 'at=2025-02-06')).toEqual({ code: 'tighten', since: '2025-01-20' });
    expect(await stanceAt(service, actor, 'at=2025-02-10')).toEqual({ code: 'not-yet', since: '2025-02-10' });
    // Recorded last but stated in the middle of the run: it breaks the run in valid time.
    await say(service, actor, 'no-lifting', '2025-01-22');
    expect(await stanceAt(service, actor, 'at=2025-02-06')).toEqual({ code: 'tighten', since: '2025-01-25' });
    expect(await stanceAt(service, actor, 'at=2025-01-23')).toEqual({ code: 'no-lifting', since: '2025-01-22' });
  });

  it('hides a statement from a knownAt before it was recorded (record time, not stated time)', async () => {
    const actor = await freshPerson(service);
    const first = await say(service, actor, 'tighten', '2025-02-01');
    await sleep(5);
    const second = await say(service, actor, 'not-yet', '2025-01-01');
    const [t1, t2] = [first.answer.body.recordedAt, second.answer.body.recordedAt];
    expect(Date.parse(t2)).toBeGreaterThan(Date.parse(t1));
    expect((await stanceAt(service, actor, `at=2025-03-01&knownAt=${new Date(Date.parse(t1) - 1).toISOString()}`)).code).toBeNull();
    expect((await stanceAt(service, actor, `at=2025-01-15&knownAt=${t1}`)).code).toBeNull();
    expect((await stanceAt(service, actor, `at=2025-01-15&knownAt=${t2}`)).code).toBe('not-yet');
    expect((await stanceAt(service, actor, `at=2025-03-01&knownAt=${t1}`)).code).toBe('tighten');
    // A bare-date knownAt is the end of that UTC day.
    expect((await stanceAt(service, actor, `at=2025-01-15&knownAt=${t2.slice(0, 10)}`)).code).toBe('not-yet');
    expect((await stanceAt(service, actor, 'at=2025-03-01&knownAt=2025-02-28')).code).toBeNull();
  });

  it('answers 404 for an unknown actor or topic, and 400 for a malformed id in the path', async () => {
    expectError(await service.get(`/api/actors/nobody-here/positions/${TOPIC}`), 404, 'actorId');
    expectError(await service.get('/api/actors/marco-rubio/positions/no-such-topic'), 404, 'topicId');
    expectError(await service.get(`/api/actors/Marco_Rubio/positions/${TOPIC}`), 400, 'actorId');
    expectError(await service.get('/api/actors/marco-rubio/positions/No_Topic'), 400, 'topicId');
  });

  it.each([
    ['at=', 'at'],
    ['at=1e3', 'at'],
    ['at[]=1', undefined],
    ['at=1&at=2', 'at'],
    ['at=2025-02-30', 'at'],
    ['at=2025-02-26T10:00:00', 'at'],
    ['at=yesterday', 'at'],
    ['knownAt=2025-02-26T10:00', 'knownAt'],
    ['knownAt=', 'knownAt'],
    ['as=2025-02-26', 'as'],
  ])('answers 400 for the query %s', async (query, field) => {
    expectError(await positionOf(service, 'marco-rubio', query), 400, field);
  });
});

describe('positions with a controlled clock', () => {
  const clock = movableClock('2025-03-10T12:00:00Z');
  let service: TestService;

  beforeAll(async () => {
    service = await startService({ clock: clock.now });
    await seedWorld(service);
  });
  afterAll(() => service.close());

  it('defaults `at` to now', async () => {
    clock.set('2025-03-10T12:00:00Z');
    const actor = await freshPerson(service);
    await say(service, actor, 'tighten', '2025-02-01');
    const last = await say(service, actor, 'not-yet', '2025-03-05');
    clock.set('2025-03-01T08:00:00Z');
    const answer = await positionOf(service, actor, 'knownAt=2999-01-01');
    expect(answer.body.at).toBe('2025-03-01T08:00:00.000Z');
    expect(answer.body.stance.code).toBe('tighten');
    clock.set('2025-03-10T12:00:00Z');
    expect((await positionOf(service, actor, 'knownAt=2999-01-01')).body.stance.code).toBe('not-yet');
    // knownAt defaults to the record as the views hold it: through the last recording.
    expect((await positionOf(service, actor)).body).toMatchObject({ at: '2025-03-10T12:00:00.000Z', knownAt: last.answer.body.recordedAt });
  });

  it('refuses statedOn later than the moment of recording (422), and accepts that very moment', async () => {
    clock.set('2025-03-10T12:00:00Z');
    expectError(await service.post('/api/statements', statementBody({ statedOn: '2025-03-10T12:00:01Z' })), 422, 'statedOn');
    expectError(await service.post('/api/statements', statementBody({ statedOn: '2025-03-11' })), 422, 'statedOn');
    await ok(service.post('/api/statements', statementBody({ statedOn: '2025-03-10T12:00:00Z' })));
    await ok(service.post('/api/statements', statementBody({ statedOn: '2025-03-10' })));
  });

  it('records at the service clock, so a knownAt between two recordings sees only the first', async () => {
    const actor = await freshPerson(service);
    clock.set('2025-03-11T12:00:00Z');
    const first = await say(service, actor, 'tighten', '2025-02-01');
    clock.set('2025-03-20T12:00:00Z');
    await say(service, actor, 'not-yet', '2025-03-15');
    expect(first.answer.body.recordedAt).toBe('2025-03-11T12:00:00.000Z');
    expect((await stanceAt(service, actor, 'at=2025-03-31&knownAt=2025-03-15')).code).toBe('tighten');
    expect((await stanceAt(service, actor, 'at=2025-03-31&knownAt=2025-03-11T11:59:59Z')).code).toBeNull();
  });
});
