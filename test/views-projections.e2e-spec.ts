import { startService, type TestService } from './support/app-harness';
import { expectError, ok, say, sleep, TOPIC } from './support/world';

/* GET /api/projections and POST /api/projections/{name}/rebuild (admin, 202, blue/green). */

const VIEWS = ['actors', 'topics', 'members', 'statements', 'stance-counts', 'statement-search', 'topic-speakers'];

describe('the projections endpoints', () => {
  let service: TestService;
  const touched: string[] = [];

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' } });
    // A correction and a retraction, so the log holds every kind of statement event.
    const extra = await say(service, 'donald-trump', 'tighten', '2025-02-27', { summary: 'Threatens more sanctions' });
    await ok(service.post(`/api/statements/${extra.id}/corrections`, { changes: { stance: 'no-lifting' }, reason: 'misread' }, 'editor'));
    const wrong = await say(service, 'marco-rubio', 'lift-unconditionally', '2025-02-28');
    await ok(service.post(`/api/statements/${wrong.id}/retractions`, { reason: 'misattributed' }, 'editor'));
    touched.push(extra.id, wrong.id);
  });
  afterAll(() => service.close());

  const lastPosition = async () => (await service.get('/health', null)).body.details.store.lastPosition as number;

  /** Everything the views answer, over HTTP. */
  async function answers(): Promise<unknown> {
    const urls = [
      '/api/actors',
      '/api/topics',
      `/api/topics/${TOPIC}/positions?at=2025-02-26`,
      `/api/topics/${TOPIC}/positions?at=2025-02-28`,
      `/api/topics/${TOPIC}/changes?from=2025-02-19&to=2025-02-28`,
      `/api/topics/${TOPIC}/stance-counts?from=2025-02-15&to=2025-03-01`,
      `/api/actors/us-government/voice/${TOPIC}?at=2025-02-19`,
      `/api/actors/us-government/voice/${TOPIC}?at=2025-02-28`,
      `/api/actors/european-union/voice/${TOPIC}?at=2025-02-25`,
      `/api/actors/donald-trump/positions/${TOPIC}?at=2025-02-28`,
      `/api/actors/donald-trump/positions/${TOPIC}/timeline`,
      `/api/actors/marco-rubio/positions/${TOPIC}/timeline`,
      ...touched.map((id) => `/api/statements/${id}`),
    ];
    const bodies = await Promise.all(urls.map(async (url) => [url, (await ok(service.get(url), 200)).body]));
    // `knownAt` defaults to now: the moment of asking, not part of the answer.
    return JSON.parse(JSON.stringify(bodies).replace(/"knownAt":"[^"]*"/g, '"knownAt":"now"'));
  }

  async function untilLive(): Promise<{ name: string; status: string; rebuild: unknown }[]> {
    for (let i = 0; i < 500; i++) {
      const list = (await service.get('/api/projections')).body;
      if (list.every((p: { status: string; rebuild: unknown }) => p.status === 'live' && p.rebuild === null)) return list;
      await sleep(10);
    }
    throw new Error('the views never went back to live');
  }

  it('lists every view with name, version, position, lag 0 and status live', async () => {
    const last = await lastPosition();
    const { status, body } = await service.get('/api/projections');
    expect(status).toBe(200);
    expect(body).toEqual(VIEWS.map((name) => ({ name, version: ({ members: 2, statements: 3, 'stance-counts': 5, 'statement-search': 2 } as Record<string, number>)[name] ?? 1, position: last, lag: 0, status: 'live', error: null, rebuild: null })));
    expect((await service.get('/api/projections', null)).status).toBe(200);
  });

  it('refuses query parameters on the list', async () => {
    expectError(await service.get('/api/projections?name=actors'), 400);
  });

  it('refuses a rebuild without a key (401) and below admin (403), and rebuilds nothing', async () => {
    expectError(await service.post('/api/projections/statements/rebuild', undefined, null), 401);
    for (const role of ['reader', 'recorder', 'editor'] as const) expectError(await service.post('/api/projections/statements/rebuild', undefined, role), 403);
    expect((await service.get('/api/projections')).body.map((p: { rebuild: unknown }) => p.rebuild)).toEqual(VIEWS.map(() => null));
  });

  it('answers 404 for an unknown view and 400 for a malformed name', async () => {
    expectError(await service.post('/api/projections/no-such-view/rebuild', undefined, 'admin'), 404);
    expectError(await service.post('/api/projections/Not_A_Slug/rebuild', undefined, 'admin'), 400);
  });

  it('starts a rebuild with 202 and its progress, then answers exactly as before once it is live again', async () => {
    const before = await answers();
    const last = await lastPosition();
    const { status, body } = await service.post('/api/projections/statements/rebuild', undefined, 'admin');
    expect(status).toBe(202);
    expect(body).toEqual({
      name: 'statements',
      rebuild: { status: 'running', generation: 2, position: expect.any(Number), total: last, rate: expect.any(Number), startedAt: expect.any(String), error: null },
    });
    expect(Number.isNaN(Date.parse(body.rebuild.startedAt))).toBe(false);
    const list = await untilLive();
    expect(list.find((p) => p.name === 'statements')).toMatchObject({ position: last, lag: 0, error: null });
    expect(await answers()).toEqual(before);
  });

  it('rebuilds every view one after another with identical answers, and follows the log afterwards', async () => {
    const before = await answers();
    for (const name of VIEWS) {
      expect((await service.post(`/api/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await untilLive();
    }
    expect(await answers()).toEqual(before);

    const later = await say(service, 'european-union', 'no-lifting', '2025-02-28', { summary: 'Keeps sanctions' });
    const landscape = (await service.get(`/api/topics/${TOPIC}/positions?at=2025-02-28`)).body;
    expect(landscape.positions.find((p: { actorId: string }) => p.actorId === 'european-union').statementId).toBe(later.id);
    expect((await service.get('/api/projections')).body.map((p: { position: number; lag: number }) => [p.position, p.lag])).toEqual(VIEWS.map(() => [later.answer.body.position, 0]));
  });
});
