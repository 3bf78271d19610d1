import { actorBody, affiliationBody, statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { etagPosition, freshPerson, ok, positionOf, seedWorld, TOPIC } from './support/world';

const CODES = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];
const day = (i: number) => `2025-01-${String(i + 1).padStart(2, '0')}`;

describe('concurrency and read-your-writes', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
  });
  afterAll(() => service.close());

  it('keeps all of 20 statements posted in parallel to one actor–topic stream without If-Match', async () => {
    const actor = await freshPerson(service);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => service.post('/api/statements', statementBody({ actorId: actor, stance: CODES[i % 5], statedOn: day(i) }))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.position)).size).toBe(20);
    expect(new Set(answers.map((a) => a.body.statementId)).size).toBe(20);
    expect(answers.map(etagPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    // The latest stated wins, and every one of them is there on its own day.
    const latest = await positionOf(service, actor, 'at=2025-02-01');
    expect(latest.body.stance.code).toBe(CODES[19 % 5]);
    expect(latest.body.statement.statementId).toBe(answers[19].body.statementId);
    const cited = await Promise.all(answers.map((_, i) => positionOf(service, actor, `at=${day(i)}`)));
    expect(cited.map((c) => c.body.statement.statementId)).toEqual(answers.map((a) => a.body.statementId));
  });

  it('lets exactly one of 10 parallel writers claiming an empty stream (If-Match: -1) win; the rest get 412', async () => {
    const actor = await freshPerson(service);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => service.post('/api/statements', statementBody({ actorId: actor, stance: CODES[i % 5], statedOn: day(i) }), 'recorder', { 'if-match': '-1' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(412)]);
    const winner = answers.find((a) => a.status === 201)!;
    const position = await positionOf(service, actor, 'at=2025-02-01');
    expect(position.body.statement.statementId).toBe(winner.body.statementId);
    // Nothing else was written to the stream: the next writer that saw position 0 succeeds.
    const next = await service.post('/api/statements', statementBody({ actorId: actor, statedOn: '2025-01-31' }), 'recorder', { 'if-match': '0' });
    expect(next.status).toBe(201);
  });

  it('keeps parallel registrations of different actors and topics', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `parallel-${i}`);
    const answers = await Promise.all(ids.map((id) => service.post('/api/actors', { id, name: id, kind: 'organization' })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const listed = (await service.get('/api/actors')).body.map((a: { id: string }) => a.id);
    expect(listed).toEqual(expect.arrayContaining(ids));
  });

  it('registers an id once when two requests race for it: one 201, one 409', async () => {
    const [a, b] = await Promise.all([
      service.post('/api/actors', { id: 'raced-id', name: 'First', kind: 'person' }),
      service.post('/api/actors', { id: 'raced-id', name: 'Second', kind: 'person' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? a : b;
    expect((await service.get('/api/actors/raced-id')).body.name).toBe(winner.body.name);
  });

  describe('read-your-writes: a query right after a 201 sees the command', () => {
    it('sees a new actor, its affiliation, a new topic and a stance at once', async () => {
      await ok(service.post('/api/actors', actorBody('eu')));
      expect((await service.get('/api/actors/european-union')).status).toBe(200);
      await ok(service.post('/api/actors', actorBody('dombrovskis')));
      await ok(service.post('/api/actors/valdis-dombrovskis/affiliations', affiliationBody('dombrovskis')));
      expect((await service.get('/api/actors/valdis-dombrovskis')).body.affiliations).toHaveLength(1);
      await ok(service.post('/api/topics', { id: 'fresh-topic', title: 'Fresh', proposition: 'Fresh', stances: [{ code: 'a', label: 'A', score: 0 }] }));
      expect((await service.get('/api/topics/fresh-topic')).status).toBe(200);
      await ok(service.post('/api/topics/fresh-topic/stances', { code: 'b', label: 'B', score: 1 }));
      expect((await service.get('/api/topics/fresh-topic')).body.stances).toHaveLength(2);
    });

    it('sees each statement in the position answer right after its 201', async () => {
      const actor = await freshPerson(service);
      for (const [i, stance] of CODES.entries()) {
        const recorded = await ok(service.post('/api/statements', statementBody({ actorId: actor, stance, statedOn: day(i) })));
        const answer = await service.get(`/api/actors/${actor}/positions/${TOPIC}`);
        expect(answer.body.statement?.statementId).toBe(recorded.body.statementId);
        expect(answer.body.stance?.code).toBe(stance);
      }
    });
  });
});
