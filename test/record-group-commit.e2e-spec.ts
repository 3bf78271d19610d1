/**
 * Statements recorded in a burst share one commit of the log (group commit) and one pass of
 * the views. What a client sees must not change: each answer is its own, and each 201 is
 * readable as soon as it arrives.
 */
import { startService, type TestService } from './support/app-harness';
import { etagPosition, expectError, freshPerson, ok, positionOf, positionStream, seedWorld, statementBody, wholeLog } from './support/world';

const CODES = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];

describe('statements recorded together (group commit)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
  });
  afterAll(() => service.close());

  it('answers each of 24 concurrent statements on its own; every 201 is readable right after it, the refused ones write nothing', async () => {
    const actors: string[] = [];
    for (let i = 0; i < 24; i++) actors.push(await freshPerson(service, 'burst'));
    // The stream of actors[0] is at 0 after this: an If-Match of -1 on it is stale.
    await ok(service.post('/api/statements', statementBody({ actorId: actors[0], statedOn: '2025-01-01' })));
    const refused = () => Promise.all(actors.slice(0, 3).map(async (actorId) => (await positionOf(service, actorId, 'at=2999-12-31&knownAt=2999-12-31')).body));
    const before = await refused();
    const logBefore = (await wholeLog(service)).length;

    const body = (i: number) => statementBody({ actorId: actors[i], stance: CODES[i % 5], statedOn: '2025-02-01', summary: `Burst statement ${i}` });
    const send = async (i: number) => {
      const answer =
        i === 0
          ? await service.post('/api/statements', body(0), 'recorder', { 'if-match': '-1' })
          : i === 1
            ? await service.post('/api/statements', { ...body(1), stance: 'no-such-stance' })
            : i === 2
              ? await service.post('/api/statements', { ...body(2), statedOn: 'not a date' })
              : await service.post('/api/statements', body(i));
      // Read right after the answer, before the other requests of the burst are known to be done.
      const read = answer.status === 201 ? await positionOf(service, actors[i], 'at=2025-02-02') : null;
      return { answer, read };
    };
    const results = await Promise.all(actors.map((_, i) => send(i)));

    expectError(results[0].answer, 412);
    expectError(results[1].answer, 422, 'stance');
    expectError(results[2].answer, 400, 'statedOn');
    for (const [i, { answer, read }] of results.slice(3).map((r, k) => [k + 3, r] as const)) {
      expect({ i, status: answer.status }).toEqual({ i, status: 201 });
      expect(read?.status).toBe(200);
      expect(read?.body.statement.statementId).toBe(answer.body.statementId);
      expect(read?.body.stance.code).toBe(CODES[i % 5]);
      expect(etagPosition(answer)).toBe(0);
    }
    // Only the 21 accepted statements were written, each at its own global position; the refused streams are as they were.
    const written = (await wholeLog(service)).slice(logBefore);
    expect(written.map((e) => e.streamId).sort()).toEqual(actors.slice(3).map((a) => positionStream(a)).sort());
    expect(new Set(results.slice(3).map((r) => r.answer.body.position)).size).toBe(21);
    expect(await refused()).toEqual(before);
  });
});
