import { startService, type TestService } from './support/app-harness';
import { expectError, movableClock, say, TOPIC } from './support/world';

/*
 * Cross-actor views of a topic on the seed article's data: GET /api/topics/{t}/positions and
 * /changes. The seed is recorded on 2025-03-01; what the tests add, from 2025-03-05 on.
 */

const SEEDED = '2025-03-02';
const stance = (code: string, score: number) => ({ code, label: expect.any(String), score });
type Entry = { actorId: string; stance: { code: string }; since: string; statementId: string };
type Change = { actorId: string; before: { code: string } | null; after: { code: string }; shift: string; direction: string | null };

describe('GET /api/topics/{t}/positions and /changes (seed data)', () => {
  const clock = movableClock('2025-03-01T12:00:00Z');
  let service: TestService;
  const landscape = (query: string, topic = TOPIC) => service.get(`/api/topics/${topic}/positions?${query}`);
  const changes = (query: string, topic = TOPIC) => service.get(`/api/topics/${topic}/changes?${query}`);
  const brief = (positions: Entry[]) => positions.map((p) => `${p.actorId} ${p.stance.code} ${p.since}`);
  const briefChanges = (list: Change[]) => list.map((c) => `${c.actorId} ${c.before?.code ?? null}->${c.after.code} ${c.shift} ${c.direction}`);

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' }, clock: clock.now });
    clock.set('2025-03-05T12:00:00Z');
  });
  afterAll(() => service.close());

  it('lists every actor with a known position on 2025-02-26, sorted by actorId, each with stance, since and statement', async () => {
    const { status, body } = await landscape(`at=2025-02-26&knownAt=${SEEDED}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ topicId: TOPIC, at: '2025-02-26', knownAt: SEEDED });
    expect(body.positions).toEqual([
      { actorId: 'donald-trump', stance: stance('not-yet', 0), since: '2025-02-26', statementId: expect.any(String) },
      { actorId: 'european-union', stance: stance('tighten', -2), since: '2025-02-24', statementId: expect.any(String) },
      { actorId: 'marco-rubio', stance: stance('concessions-needed', 1), since: '2025-02-18', statementId: expect.any(String) },
      { actorId: 'russian-government', stance: stance('lift-unconditionally', 2), since: '2025-02-26', statementId: expect.any(String) },
      { actorId: 'valdis-dombrovskis', stance: stance('no-lifting', -1), since: '2025-02-20', statementId: expect.any(String) },
    ]);
    const trump = await service.get(`/api/actors/donald-trump/positions/${TOPIC}?at=2025-02-26`);
    expect(body.positions[0].statementId).toBe(trump.body.statement.statementId);
  });

  it('lists only those who had spoken by the date, and nobody before anyone spoke', async () => {
    expect(brief((await landscape('at=2025-02-19')).body.positions)).toEqual(['marco-rubio concessions-needed 2025-02-18']);
    expect((await landscape('at=2025-02-01')).body.positions).toEqual([]);
    expect(brief((await landscape('at=2025-02-26', 'russia-sanctions-effect')).body.positions)).toEqual([
      'russian-government backfired 2025-02-26',
      'vladimir-putin strengthened 2025-02-20',
    ]);
  });

  it('keeps since at the start of an unbroken run, and answers as the record stood at knownAt', async () => {
    const restated = await say(service, 'donald-trump', 'not-yet', '2025-02-27', { summary: 'Still nothing lifted' });
    const now = (await landscape('at=2025-02-28')).body;
    expect(now.positions[0]).toEqual({ actorId: 'donald-trump', stance: stance('not-yet', 0), since: '2025-02-26', statementId: restated.id });
    expect(now.knownAt).toBe('2025-03-05T12:00:00.000Z');
    const then = (await landscape(`at=2025-02-28&knownAt=${SEEDED}`)).body;
    expect(then.positions[0].statementId).not.toBe(restated.id);
  });

  it('lists who changed between two dates: newcomers with before null, shift first and direction null; Rubio unchanged', async () => {
    const { status, body } = await changes(`from=2025-02-19&to=2025-02-26&knownAt=${SEEDED}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ topicId: TOPIC, from: '2025-02-19', to: '2025-02-26' });
    expect(body.changes).toEqual([
      { actorId: 'donald-trump', before: null, after: stance('not-yet', 0), shift: 'first', direction: null },
      { actorId: 'european-union', before: null, after: stance('tighten', -2), shift: 'first', direction: null },
      { actorId: 'russian-government', before: null, after: stance('lift-unconditionally', 2), shift: 'first', direction: null },
      { actorId: 'valdis-dombrovskis', before: null, after: stance('no-lifting', -1), shift: 'first', direction: null },
    ]);
  });

  it('classifies a change of 1 point as a half-flip and of 2 or more as a full-flop, with the direction', async () => {
    await say(service, 'marco-rubio', 'not-yet', '2025-02-27', { onBehalfOf: 'us-government', summary: 'Not yet' });
    await say(service, 'valdis-dombrovskis', 'concessions-needed', '2025-02-27', { summary: 'Open to relief' });
    const { body } = await changes('from=2025-02-26&to=2025-02-28');
    expect(body.changes).toEqual([
      { actorId: 'marco-rubio', before: stance('concessions-needed', 1), after: stance('not-yet', 0), shift: 'half-flip', direction: 'away' },
      { actorId: 'valdis-dombrovskis', before: stance('no-lifting', -1), after: stance('concessions-needed', 1), shift: 'full-flop', direction: 'toward' },
    ]);
    expect((await changes(`from=2025-02-26&to=2025-02-28&knownAt=${SEEDED}`)).body.changes).toEqual([]);
    expect((await changes('from=2025-02-26&to=2025-02-26')).body.changes).toEqual([]);
    expect(briefChanges((await changes('from=2025-02-18&to=2025-02-28')).body.changes)).toContain('marco-rubio concessions-needed->not-yet half-flip away');
  });

  it('refuses changes without from or to, with to before from, or with a malformed date (400)', async () => {
    expectError(await changes('to=2025-02-26'), 400, 'from');
    expectError(await changes('from=2025-02-19'), 400, 'to');
    expectError(await changes('from=2025-02-26&to=2025-02-19'), 400, 'to');
    expectError(await changes('from=2025-02-30&to=2025-03-01'), 400, 'from');
    expectError(await changes('from=2025-02-19&to=2025-02-26&knownAt=soon'), 400, 'knownAt');
  });

  it('answers 404 for an unknown topic and 400 for a malformed at or an unknown parameter', async () => {
    expectError(await landscape('at=2025-02-26', 'no-such-topic'), 404);
    expectError(await changes('from=2025-02-19&to=2025-02-26', 'no-such-topic'), 404);
    expectError(await landscape('at=2025-02-26T10:00'), 400, 'at');
    expectError(await landscape('at='), 400);
    expectError(await landscape('actorId=donald-trump'), 400);
  });

  it('answers the same for landscapes as the position of each actor', async () => {
    const { body } = await landscape('at=2025-02-28');
    for (const entry of body.positions as Entry[]) {
      const position = (await service.get(`/api/actors/${entry.actorId}/positions/${TOPIC}?at=2025-02-28`)).body;
      expect([entry.actorId, entry.stance, entry.since, entry.statementId]).toEqual([entry.actorId, position.stance, position.since, position.statement.statementId]);
    }
  });
});
