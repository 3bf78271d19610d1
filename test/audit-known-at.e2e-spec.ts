import type { TestService } from './support/app-harness';
import { correct, expectError, movableClock, freshPerson, ok, positionOf, say, retract, startWithTopic, statementBody, timelineOf } from './support/world';

const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const q = (value: string) => encodeURIComponent(value);

/*
 * The record as it stood at `knownAt`: the service's clock is set by the test, so each
 * recording happens at a known instant and knownAt values fall exactly between them.
 */
describe('audit: knownAt, the record as it stood at a moment', () => {
  const clock = movableClock('2025-03-01T12:00:00Z');
  let service: TestService;

  beforeAll(async () => {
    service = await startWithTopic({ clock: clock.now });
  });
  afterAll(() => service.close());

  /** The stance code (or null) and the statement of the position. */
  async function seen(actor: string, query: string) {
    const answer = await ok(positionOf(service, actor, query), 200);
    return { code: answer.body.stance?.code ?? null, statementId: answer.body.statement?.statementId ?? null, summary: answer.body.statement?.summary ?? null };
  }

  it('stamps each event with the service clock: recordedAt is the moment of recording', async () => {
    const actor = await freshPerson(service);
    const at = clock.set('2025-03-02T09:15:00Z');
    const { id, answer } = await say(service, actor, 'not-yet', '2025-02-26');
    expect(answer.body.recordedAt).toBe('2025-03-02T09:15:00.000Z');
    expect((await service.get(`/api/statements/${id}`)).body.recordedAt).toBe(at);
    const history = await ok(service.get(`/api/statements/${id}/history`), 200);
    expect(history.body.events.map((e: { recordedAt: string }) => e.recordedAt)).toEqual([at]);
  });

  it('shows a correction now but not at a knownAt before it (position, statement, timeline)', async () => {
    const actor = await freshPerson(service);
    const t1 = clock.set('2025-03-03T10:00:00Z');
    const { id } = await say(service, actor, 'concessions-needed', '2025-02-18', { summary: 'As first recorded' });
    const t2 = clock.set('2025-03-03T11:00:00Z');
    const corrected = await ok(correct(service, id, { stance: 'not-yet', summary: 'As corrected' }));
    expect(corrected.body.recordedAt).toBe(t2);
    const between = '2025-03-03T10:30:00Z';

    const then = await ok(positionOf(service, actor, `at=2025-02-20&knownAt=${between}`), 200);
    expect(then.body).toMatchObject({ at: '2025-02-20', knownAt: between, stance: { code: 'concessions-needed', score: 1 }, since: '2025-02-18' });
    expect(then.body.statement).toMatchObject({ statementId: id, summary: 'As first recorded' });
    expect(await seen(actor, 'at=2025-02-20')).toEqual({ code: 'not-yet', statementId: id, summary: 'As corrected' });
    // knownAt is inclusive: the correction is known from the very millisecond it was recorded.
    expect((await seen(actor, `at=2025-02-20&knownAt=${t2}`)).code).toBe('not-yet');
    expect((await seen(actor, `at=2025-02-20&knownAt=${shift(t2, -1)}`)).code).toBe('concessions-needed');
    // The same instant written with another offset.
    expect((await seen(actor, `at=2025-02-20&knownAt=${q('2025-03-03T11:29:59+01:00')}`)).code).toBe('concessions-needed');

    const statementThen = await ok(service.get(`/api/statements/${id}?knownAt=${between}`), 200);
    expect(statementThen.body).toMatchObject({ stance: { code: 'concessions-needed' }, summary: 'As first recorded', recordedAt: t1, correctedAt: null, retracted: false });
    const statementNow = await ok(service.get(`/api/statements/${id}`), 200);
    expect(statementNow.body).toMatchObject({ stance: { code: 'not-yet' }, summary: 'As corrected', recordedAt: t1, correctedAt: t2, retracted: false });

    const timelineThen = await ok(timelineOf(service, actor, `knownAt=${between}`), 200);
    expect(timelineThen.body.entries).toEqual([expect.objectContaining({ statementId: id, stance: expect.objectContaining({ code: 'concessions-needed' }), summary: 'As first recorded' })]);
    expect((await timelineOf(service, actor)).body.entries[0]).toMatchObject({ stance: { code: 'not-yet' }, summary: 'As corrected' });
  });

  it('places a statement by its statedOn as corrected by then: moved before `at` now, after it at an earlier knownAt', async () => {
    const actor = await freshPerson(service);
    clock.set('2025-03-04T10:00:00Z');
    const { id } = await say(service, actor, 'tighten', '2025-02-20');
    clock.set('2025-03-04T11:00:00Z');
    await ok(correct(service, id, { statedOn: '2025-02-10' }));
    expect(await seen(actor, 'at=2025-02-15')).toMatchObject({ code: 'tighten', statementId: id });
    expect(await seen(actor, 'at=2025-02-15&knownAt=2025-03-04T10:59:59Z')).toMatchObject({ code: null, statementId: null });
    expect((await seen(actor, 'at=2025-02-20&knownAt=2025-03-04T10:59:59Z')).code).toBe('tighten');
    expect((await service.get(`/api/statements/${id}?knownAt=2025-03-04T10:30:00Z`)).body.statedOn).toBe('2025-02-20');
    expect((await service.get(`/api/statements/${id}`)).body.statedOn).toBe('2025-02-10');
  });

  it('shows a retraction now (fallback to the previous statement) but not at a knownAt before it', async () => {
    const actor = await freshPerson(service);
    clock.set('2025-03-05T10:00:00Z');
    const earlier = await say(service, actor, 'concessions-needed', '2025-02-18');
    clock.set('2025-03-05T11:00:00Z');
    const later = await say(service, actor, 'not-yet', '2025-02-26');
    const t3 = clock.set('2025-03-05T12:00:00Z');
    expect((await ok(retract(service, later.id))).body.recordedAt).toBe(t3);

    const beforeRetraction = '2025-03-05T11:30:00Z';
    expect(await seen(actor, `at=2025-02-28&knownAt=${beforeRetraction}`)).toMatchObject({ code: 'not-yet', statementId: later.id });
    expect(await seen(actor, 'at=2025-02-28')).toMatchObject({ code: 'concessions-needed', statementId: earlier.id });

    expect((await service.get(`/api/statements/${later.id}?knownAt=${beforeRetraction}`)).body.retracted).toBe(false);
    expect((await service.get(`/api/statements/${later.id}?knownAt=${t3}`)).body.retracted).toBe(true);
    expect((await service.get(`/api/statements/${later.id}`)).body).toMatchObject({ retracted: true, stance: { code: 'not-yet' } });

    const ids = async (query: string) => (await ok(timelineOf(service, actor, query), 200)).body.entries.map((e: { statementId: string }) => e.statementId);
    expect(await ids(`knownAt=${beforeRetraction}`)).toEqual([earlier.id, later.id]);
    expect(await ids('')).toEqual([earlier.id]);
  });

  it('knows nothing of a statement recorded after knownAt: position null, GET 404, timeline empty', async () => {
    const actor = await freshPerson(service);
    const t1 = clock.set('2025-03-06T10:00:00Z');
    const { id } = await say(service, actor, 'concessions-needed', '2025-02-18');
    const before = shift(t1, -1);

    const position = await ok(positionOf(service, actor, `at=2025-03-01&knownAt=${before}`), 200);
    expect(position.body).toMatchObject({ actorId: actor, knownAt: before, stance: null, since: null, statement: null });
    expectError(await service.get(`/api/statements/${id}?knownAt=${before}`), 404);
    expect((await ok(timelineOf(service, actor, `knownAt=${before}`), 200)).body.entries).toEqual([]);
    expect((await ok(service.get(`/api/statements/${id}?knownAt=${t1}`), 200)).body.statementId).toBe(id);
  });

  it('sees only the first of two statements at a knownAt between their recordings, whatever their statedOn', async () => {
    const actor = await freshPerson(service);
    clock.set('2025-03-07T10:00:00Z');
    await say(service, actor, 'tighten', '2025-02-01');
    clock.set('2025-03-07T11:00:00Z');
    await say(service, actor, 'not-yet', '2025-01-15'); // recorded later, stated earlier
    expect((await seen(actor, 'at=2025-01-20&knownAt=2025-03-07T10:30:00Z')).code).toBeNull();
    expect((await seen(actor, 'at=2025-01-20&knownAt=2025-03-07T11:00:00Z')).code).toBe('not-yet');
    expect((await seen(actor, 'at=2025-03-01&knownAt=2025-03-07T10:30:00Z')).code).toBe('tighten');
  });

  it('reads a bare-date knownAt as the end of that UTC day', async () => {
    const actor = await freshPerson(service);
    clock.set('2025-03-08T23:59:59.999Z');
    const { id } = await say(service, actor, 'no-lifting', '2025-03-01');
    clock.set('2025-03-09T00:00:00Z');
    await ok(correct(service, id, { stance: 'tighten' }));
    expect((await seen(actor, 'knownAt=2025-03-07')).code).toBeNull();
    expect((await seen(actor, 'knownAt=2025-03-08')).code).toBe('no-lifting');
    expect((await seen(actor, 'knownAt=2025-03-09')).code).toBe('tighten');
    expect((await service.get(`/api/statements/${id}?knownAt=2025-03-08`)).body).toMatchObject({ stance: { code: 'no-lifting' }, correctedAt: null });
    expectError(await service.get(`/api/statements/${id}?knownAt=2025-03-07`), 404);
  });

  it('refuses statedOn later than the moment of recording, to record and to correct, and accepts that very moment', async () => {
    const actor = await freshPerson(service);
    const now = clock.set('2025-03-10T12:00:00Z');
    expectError(await service.post('/api/statements', statementBody({ actorId: actor, statedOn: '2025-03-10T12:00:01Z' })), 422, 'statedOn');
    const { id } = await say(service, actor, 'not-yet', now);
    expectError(await correct(service, id, { statedOn: '2025-03-10T12:00:01Z' }), 422, 'changes.statedOn');
    expectError(await correct(service, id, { statedOn: '2025-03-11' }), 422, 'changes.statedOn');
    await ok(correct(service, id, { statedOn: '2025-03-10' }));
    expect((await service.get(`/api/statements/${id}`)).body.statedOn).toBe('2025-03-10');
  });

  it('echoes a knownAt that reproduces the answer, even when the next record lands in the same millisecond', async () => {
    const actor = await freshPerson(service);
    clock.set('2025-03-05T08:00:00.000Z');
    const { id } = await say(service, actor, 'concessions-needed', '2025-02-18');
    const first = await ok(positionOf(service, actor, 'at=2025-02-26'), 200);
    // The clock has not moved: the correction is recorded within the same millisecond as the answer above.
    await ok(correct(service, id, { stance: 'not-yet' }));
    const replayed = await ok(positionOf(service, actor, `at=2025-02-26&knownAt=${q(first.body.knownAt)}`), 200);
    expect(replayed.body).toEqual(first.body);
    expect((await seen(actor, 'at=2025-02-26')).code).toBe('not-yet');
  });

  it.each([
    ['knownAt=2025-03-03T10:30:00', 'knownAt'],
    ['knownAt=', 'knownAt'],
    ['knownAt=2025-02-30', 'knownAt'],
    ['knownAt=yesterday', 'knownAt'],
    ['knownAt=1e3', 'knownAt'],
  ])('answers 400 for %s on the statement, the position and the timeline', async (query, field) => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    expectError(await service.get(`/api/statements/${id}?${query}`), 400, field);
    expectError(await positionOf(service, actor, query), 400, field);
    expectError(await timelineOf(service, actor, query), 400, field);
  });
});

