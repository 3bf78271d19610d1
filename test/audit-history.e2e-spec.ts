import { KEYS, type TestService } from './support/app-harness';
import { correct, expectEnvelope, expectError, freshPerson, ok, positionStream, say, REASON, retract, startWithTopic, statementBody, wholeLog } from './support/world';

const KEY_ID = /^[0-9a-f]{12}$/;

describe('audit: GET /api/statements/{id}/history', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startWithTopic();
  });
  afterAll(() => service.close());

  it('lists every event about the statement, in order, with full envelopes and who recorded each', async () => {
    const actor = await freshPerson(service);
    const stated = await say(service, actor, 'concessions-needed', '2025-02-18');
    const other = await say(service, actor, 'tighten', '2025-02-20'); // same stream, another statement
    const corrected = await ok(correct(service, stated.id, { stance: 'not-yet', summary: 'Corrected summary' }));
    await ok(correct(service, other.id, { summary: 'Not about the first' }));
    const retracted = await ok(retract(service, stated.id, 'Misattributed'));
    await ok(retract(service, other.id, 'Also misattributed'));

    const history = await ok(service.get(`/api/statements/${stated.id}/history`), 200);
    expect(Object.keys(history.body).sort()).toEqual(['events', 'statementId']);
    expect(history.body.statementId).toBe(stated.id);
    const events = history.body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['PositionStated', 'StatementCorrected', 'StatementRetracted']);
    events.forEach(expectEnvelope);

    const [first, second, third] = events;
    const streamId = positionStream(actor);
    expect(first).toMatchObject({ streamId, streamPosition: 0, schemaVersion: 1, position: stated.answer.body.position, recordedAt: stated.answer.body.recordedAt });
    expect(second).toMatchObject({ streamId, streamPosition: 2, schemaVersion: 1, position: corrected.body.position, recordedAt: corrected.body.recordedAt });
    expect(third).toMatchObject({ streamId, streamPosition: 4, schemaVersion: 1, position: retracted.body.position, recordedAt: retracted.body.recordedAt });

    const body = statementBody({ actorId: actor, stance: 'concessions-needed', statedOn: '2025-02-18' });
    expect(first.data).toEqual({ statementId: stated.id, stance: body.stance, summary: body.summary, quote: body.quote, statedOn: body.statedOn, source: body.source });
    expect(second.data).toEqual({ statementId: stated.id, changes: { stance: 'not-yet', summary: 'Corrected summary' }, reason: REASON });
    expect(third.data).toEqual({ statementId: stated.id, reason: 'Misattributed' });

    const [recorder, editor, editorAgain] = events.map((e: { recordedBy: string }) => e.recordedBy.split(':'));
    expect(recorder[0]).toBe('recorder');
    expect(editor[0]).toBe('editor');
    expect(recorder[1]).toMatch(KEY_ID);
    expect(editor[1]).toMatch(KEY_ID);
    expect(editorAgain).toEqual(editor); // stable for one key
    expect(editor[1]).not.toBe(recorder[1]);
    // Never a key, anywhere in the answer.
    const text = JSON.stringify(history.body);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);

    // Positions strictly increase, recordedAt never decreases; each event is a distinct command.
    expect(events[0].position).toBeLessThan(events[1].position);
    expect(events[1].position).toBeLessThan(events[2].position);
    expect(Date.parse(events[1].recordedAt)).toBeGreaterThanOrEqual(Date.parse(events[0].recordedAt));
    expect(new Set(events.map((e: { eventId: string }) => e.eventId)).size).toBe(3);
    expect(new Set(events.map((e: { correlationId: string }) => e.correlationId)).size).toBe(3);

    // The other statement's history holds only its own events.
    const otherHistory = await ok(service.get(`/api/statements/${other.id}/history`), 200);
    expect(otherHistory.body.events.map((e: { type: string; data: { statementId: string } }) => [e.type, e.data.statementId])).toEqual([
      ['PositionStated', other.id],
      ['StatementCorrected', other.id],
      ['StatementRetracted', other.id],
    ]);
  });

  it('answers with the same envelopes the event log holds', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    await ok(correct(service, id, { quote: 'A better quote' }));
    const history = await ok(service.get(`/api/statements/${id}/history`), 200);
    const log = await wholeLog(service, `streamId=${positionStream(actor)}`);
    expect(history.body.events).toEqual(log);
  });

  it('records the role and key id of whoever sent each command (admin too)', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    await ok(correct(service, id, { summary: 'By the admin' }, 'Typo', 'admin'));
    const history = await ok(service.get(`/api/statements/${id}/history`), 200);
    expect(history.body.events.map((e: { recordedBy: string }) => e.recordedBy)).toEqual([expect.stringMatching(/^recorder:[0-9a-f]{12}$/), expect.stringMatching(/^admin:[0-9a-f]{12}$/)]);
  });

  it('is the same whatever the statement id’s letter case, and has only the first event before any amendment', async () => {
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    const lower = await ok(service.get(`/api/statements/${id}/history`), 200);
    expect(lower.body.events.map((e: { type: string }) => e.type)).toEqual(['PositionStated']);
    const upper = await ok(service.get(`/api/statements/${id.toUpperCase()}/history`), 200);
    expect(upper.body).toEqual(lower.body);
  });

  it('answers 404 for an unknown statement and 400 for a malformed id or an unknown parameter', async () => {
    expectError(await service.get('/api/statements/00000000-0000-4000-8000-000000000000/history'), 404);
    expectError(await service.get('/api/statements/not-a-statement/history'), 400, 'id');
    const actor = await freshPerson(service);
    const { id } = await say(service, actor, 'not-yet', '2025-02-26');
    expectError(await service.get(`/api/statements/${id}/history?knownAt=2025-01-01`), 400, 'knownAt');
  });
});
