import { WatchDispatcher } from '@positions/application';
import { startService, type TestService } from './support/app-harness';
import { openStream, type SseClient } from './support/sse-client';
import { correct, expectError, freshPerson, ok, retract, say, SCORE, sleep, startWithTopic, TOPIC } from './support/world';

/*
 * GET /api/stream (docs/api.md, "Watching for changes"): Server-Sent Events over a real
 * listening service, read as a browser's EventSource reads them.
 */

const stance = (code: keyof typeof SCORE) => ({ code, label: expect.any(String), score: SCORE[code] });

async function listen(service: TestService): Promise<string> {
  await service.app.listen(0, '127.0.0.1');
  const address = service.app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

describe('GET /api/stream', () => {
  let service: TestService;
  let base: string;
  const clients: SseClient[] = [];
  const open = async (query = '', headers: Record<string, string> = {}) => {
    const client = await openStream(`${base}/api/stream${query}`, headers);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    service = await startWithTopic();
    base = await listen(service);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => service.close());

  it('tells a position change only when the current position moves: a back-dated statement that changes nothing sends nothing', async () => {
    const actor = await freshPerson(service);
    const client = await open(`?actorId=${actor}`);
    expect(client.status).toBe(200);
    const first = await say(service, actor, 'not-yet', '2025-02-01');
    await say(service, actor, 'no-lifting', '2025-01-01');
    const third = await say(service, actor, 'tighten', '2025-02-10');
    const messages = await client.waitFor(2);
    await sleep(300);
    expect(client.messages).toHaveLength(2);
    expect(messages[0]).toEqual({
      id: String(first.answer.body.position),
      event: 'position-changed',
      data: { actorId: actor, topicId: TOPIC, before: null, after: stance('not-yet'), shift: 'first', direction: null, statementId: first.id, certainty: 'certain' },
    });
    expect(messages[1]).toMatchObject({ id: String(third.answer.body.position), event: 'position-changed' });
    expect(messages[1].data).toMatchObject({ before: stance('not-yet'), after: stance('tighten'), shift: 'full-flop', direction: 'away', statementId: third.id });
  });

  it('tells a correction and a retraction, with the position change each causes', async () => {
    const actor = await freshPerson(service);
    const client = await open(`?actorId=${actor}`);
    const first = await say(service, actor, 'not-yet', '2025-02-01');
    const second = await say(service, actor, 'tighten', '2025-02-10');
    const corrected = await ok(correct(service, second.id, { stance: 'no-lifting' }));
    const retracted = await ok(retract(service, second.id));
    const messages = await client.waitFor(6);
    expect(messages.map((m) => [m.event, Number(m.id)])).toEqual([
      ['position-changed', first.answer.body.position],
      ['position-changed', second.answer.body.position],
      ['statement-corrected', corrected.body.position],
      ['position-changed', corrected.body.position],
      ['statement-retracted', retracted.body.position],
      ['position-changed', retracted.body.position],
    ]);
    expect(messages[2].data).toEqual({ statementId: second.id, actorId: actor, topicId: TOPIC, reason: expect.any(String) });
    expect(messages[3].data).toMatchObject({ before: stance('tighten'), after: stance('no-lifting'), shift: 'half-flip', direction: 'toward' });
    expect(messages[5].data).toMatchObject({ before: stance('no-lifting'), after: stance('not-yet'), statementId: first.id });
  });

  it('filters by type and by actor', async () => {
    const [mine, other] = [await freshPerson(service), await freshPerson(service)];
    const retractions = await open(`?types=statement-retracted&topicId=${TOPIC}`);
    const onlyMine = await open(`?actorId=${mine}&types=position-changed,statement-retracted`);
    await say(service, other, 'tighten', '2025-02-01');
    const said = await say(service, mine, 'not-yet', '2025-02-01');
    await ok(retract(service, said.id));
    const [retraction] = await retractions.waitFor(1);
    expect(retraction).toMatchObject({ event: 'statement-retracted', data: { statementId: said.id, actorId: mine } });
    const seen = await onlyMine.waitFor(3);
    expect(seen.map((m) => m.event)).toEqual(['position-changed', 'statement-retracted', 'position-changed']);
    expect(seen.every((m) => m.data.actorId === mine)).toBe(true);
  });

  it('tells when an organization\'s spokespeople start and stop diverging', async () => {
    const orgId = 'watch-org';
    await ok(service.post('/api/actors', { id: orgId, name: 'Watch org', kind: 'organization' }));
    const [a, b] = [await freshPerson(service, 'spoke'), await freshPerson(service, 'spoke')];
    for (const actor of [a, b]) await ok(service.post(`/api/actors/${actor}/affiliations`, { organizationId: orgId, role: 'Spokesperson', from: '2025-01-01', speaksFor: true }));
    const client = await open(`?actorId=${orgId}&types=voice-diverged,voice-converged`);
    await say(service, a, 'lift-unconditionally', '2025-02-01');
    const apart = await say(service, b, 'no-lifting', '2025-02-02');
    const [diverged] = await client.waitFor(1);
    expect(diverged).toMatchObject({ id: String(apart.answer.body.position), event: 'voice-diverged' });
    expect(diverged.data).toEqual({ orgId, topicId: TOPIC, voices: [{ actorId: a, stance: stance('lift-unconditionally'), statementId: expect.any(String) }, { actorId: b, stance: stance('no-lifting'), statementId: apart.id }] });
    await say(service, b, 'concessions-needed', '2025-02-03');
    const [, converged] = await client.waitFor(2);
    expect(converged).toMatchObject({ event: 'voice-converged', data: { orgId, topicId: TOPIC } });
  });

  it('refuses unknown message types, malformed ids and a malformed Last-Event-ID with 400', async () => {
    expectError(await service.get('/api/stream?types=position-moved'), 400, 'types');
    expectError(await service.get('/api/stream?actorId=Not%20A%20Slug'), 400, 'actorId');
    expectError(await service.get('/api/stream?since=3'), 400);
    expectError(await service.get('/api/stream', 'reader', { 'last-event-id': '1e3' }), 400, 'Last-Event-ID');
  });

  it('gives a client resuming from before what is kept in memory every message once, in order, while statements go on being recorded', async () => {
    const dispatcher = service.app.get(WatchDispatcher);
    const actor = await freshPerson(service);
    const codes = ['not-yet', 'tighten', 'no-lifting'];
    const before = await say(service, actor, 'not-yet', '2025-03-01');
    const earlier = [];
    for (let i = 0; i < 6; i++) earlier.push(await say(service, actor, codes[(i + 1) % 3], `2025-03-${String(i + 2).padStart(2, '0')}`));
    const kept = dispatcher.recentLimit;
    dispatcher.recentLimit = 2;
    try {
      const client = await open(`?actorId=${actor}`, { 'last-event-id': String(before.answer.body.position) });
      // Recorded while the client is sent what it missed: derived after its replay began.
      const meanwhile = [];
      for (let i = 0; i < 6; i++) meanwhile.push(await say(service, actor, codes[(i + 1) % 3], `2025-04-${String(i + 1).padStart(2, '0')}`));
      const all = [...earlier, ...meanwhile];
      await client.waitFor(all.length);
      const later = await say(service, actor, 'tighten', '2025-05-01');
      await client.waitFor(all.length + 1);
      await sleep(300);
      expect(client.messages.map((m) => m.id)).toEqual([...all, later].map((s) => String(s.answer.body.position)));
    } finally {
      dispatcher.recentLimit = kept;
    }
  }, 30_000);
});

describe('GET /api/stream across a restart', () => {
  it('gives a client that reconnects with Last-Event-ID exactly the messages it missed, none twice', async () => {
    let service = await startWithTopic();
    const dataDir = service.dataDir;
    try {
      let base = await listen(service);
      const actor = await freshPerson(service);
      const client = await openStream(`${base}/api/stream?actorId=${actor}`);
      await say(service, actor, 'not-yet', '2025-02-01');
      const second = await say(service, actor, 'tighten', '2025-02-02');
      const seen = await client.waitFor(2);
      client.close();
      const missed = [await say(service, actor, 'no-lifting', '2025-02-03'), await say(service, actor, 'not-yet', '2025-02-04')];
      await service.stop();
      service = await startService({ dataDir });
      base = await listen(service);
      const again = await openStream(`${base}/api/stream?actorId=${actor}`, { 'last-event-id': seen[1].id });
      const later = await say(service, actor, 'tighten', '2025-02-05');
      const resumed = await again.waitFor(3);
      await sleep(300);
      again.close();
      expect(seen[1].id).toBe(String(second.answer.body.position));
      expect(again.messages.map((m) => m.id)).toEqual([...missed, later].map((s) => String(s.answer.body.position)));
      expect(resumed.map((m) => m.data.after.code)).toEqual(['no-lifting', 'not-yet', 'tighten']);
    } finally {
      await service.close();
    }
  }, 60_000);
});
