import { statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { etagPosition, ok, positionOf, say, seedWorld, TOPIC } from './support/world';

/** What a client can see, with `at` and `knownAt` pinned so two reads compare equal. */
async function everything(service: TestService) {
  const pinned = 'knownAt=2999-01-01T00:00:00Z';
  return {
    actors: (await service.get('/api/actors')).body,
    topics: (await service.get('/api/topics')).body,
    rubio: (await service.get('/api/actors/marco-rubio')).body,
    positions: [
      (await positionOf(service, 'marco-rubio', `at=2025-02-19&${pinned}`)).body,
      (await positionOf(service, 'marco-rubio', `at=2025-02-25&${pinned}`)).body,
      (await positionOf(service, 'donald-trump', `at=2025-02-26&${pinned}`)).body,
    ],
  };
}

describe('restart: the record survives a stop and a start on the same data folder', () => {
  let service: TestService;
  let before: Awaited<ReturnType<typeof everything>>;
  let lastWrite: { position: number; streamPosition: number };

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
    await say(service, 'marco-rubio', 'concessions-needed', '2025-02-18');
    const last = await say(service, 'marco-rubio', 'not-yet', '2025-02-24', { onBehalfOf: 'us-government' });
    await say(service, 'donald-trump', 'not-yet', '2025-02-26');
    lastWrite = { position: last.answer.body.position, streamPosition: etagPosition(last.answer) };
    before = await everything(service);
    await service.stop();
    service = await startService({ dataDir: service.dataDir });
  });
  afterAll(() => service.close());

  it('answers the same listings and positions after the restart', async () => {
    expect(before.actors.map((a: { id: string }) => a.id)).toEqual(['donald-trump', 'marco-rubio', 'us-government']);
    expect(before.positions[1].stance.code).toBe('not-yet');
    expect(await everything(service)).toEqual(before);
  });

  it('continues the log and the streams: new writes follow the old ones', async () => {
    const next = await service.post('/api/statements', statementBody({ stance: 'tighten', statedOn: '2025-02-27' }), 'recorder', {
      'if-match': String(lastWrite.streamPosition),
    });
    expect(next.status).toBe(201);
    expect(next.body.position).toBeGreaterThan(lastWrite.position);
    expect(etagPosition(next)).toBe(lastWrite.streamPosition + 1);
    expect((await positionOf(service, 'marco-rubio', 'at=2025-02-27')).body.stance.code).toBe('tighten');
    await ok(service.post('/api/actors', { id: 'after-restart', name: 'After restart', kind: 'person' }));
    expect((await service.get('/api/actors/after-restart')).status).toBe(200);
  });

  it('refuses ids registered before the restart (409)', async () => {
    expect((await service.post('/api/actors', { id: 'marco-rubio', name: 'Marco Rubio', kind: 'person' })).status).toBe(409);
    expect((await service.post('/api/topics', { id: TOPIC, title: 'T', proposition: 'P', stances: [{ code: 'a', label: 'A', score: 0 }] })).status).toBe(409);
  });
});

describe('restart: the demo data set is loaded into an empty store only', () => {
  it('loads nothing with SEED_DEMO=true into a store that already has events', async () => {
    let service = await startService();
    await ok(service.post('/api/actors', { id: 'only-actor', name: 'Only actor', kind: 'person' }));
    await service.stop();
    service = await startService({ dataDir: service.dataDir, env: { SEED_DEMO: 'true' } });
    try {
      expect((await service.get('/health', null)).status).toBe(200);
      expect((await service.get('/api/actors')).body.map((a: { id: string }) => a.id)).toEqual(['only-actor']);
      expect((await service.get('/api/topics')).body).toEqual([]);
    } finally {
      await service.close();
    }
  });

  it('loads the demo data once: a second start with SEED_DEMO=true keeps the same record', async () => {
    let service = await startService({ env: { SEED_DEMO: 'true' } });
    const trump = async () => (await positionOf(service, 'donald-trump', 'at=2025-02-26&knownAt=2999-01-01')).body;
    const first = { actors: (await service.get('/api/actors')).body, topics: (await service.get('/api/topics')).body, trump: await trump() };
    expect(first.actors).toHaveLength(7);
    expect(first.trump.stance.code).toBe('not-yet');
    await service.stop();
    service = await startService({ dataDir: service.dataDir, env: { SEED_DEMO: 'true' } });
    try {
      expect((await service.get('/health', null)).status).toBe(200);
      // A second load would have recorded Trump's statement again, under a new statement id.
      expect({ actors: (await service.get('/api/actors')).body, topics: (await service.get('/api/topics')).body, trump: await trump() }).toEqual(first);
    } finally {
      await service.close();
    }
  });

  it('loads nothing when SEED_DEMO=false, even into an empty store', async () => {
    const service = await startService({ env: { SEED_DEMO: 'false' } });
    try {
      expect((await service.get('/api/actors')).body).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
