import { startService, type TestService } from './support/app-harness';
import { expectError, movableClock, ok, retract, say, TOPIC } from './support/world';

/* GET /api/topics/{t}/feed: everything the page draws a topic from, in one request, equal to what the single routes answer. */

describe('GET /api/topics/{t}/feed', () => {
  const clock = movableClock('2025-03-01T12:00:00Z');
  let service: TestService;
  const feed = async (query = '') => (await ok(service.get(`/api/topics/${TOPIC}/feed${query ? `?${query}` : ''}`), 200)).body;
  const SEEDED = '2025-03-02';

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' }, clock: clock.now });
    clock.set('2025-03-05T12:00:00Z');
  });
  afterAll(() => service.close());

  it("answers the topic, each speaking actor's timeline and stream, as the single routes do", async () => {
    const body = await feed();
    expect(body.topic).toEqual((await ok(service.get(`/api/topics/${TOPIC}`), 200)).body);
    expect(body.actors.map((a: { actorId: string }) => a.actorId)).toEqual(['donald-trump', 'european-union', 'marco-rubio', 'russian-government', 'valdis-dombrovskis']);
    for (const actor of body.actors) {
      expect(actor.timeline).toEqual((await ok(service.get(`/api/actors/${actor.actorId}/positions/${TOPIC}/timeline`), 200)).body);
      const stream = (await ok(service.get(`/api/events?streamId=position-${actor.actorId}.${TOPIC}`), 200)).body.events;
      expect(actor.events).toEqual(stream);
    }
    expect(body.next).toBeNull();
  });

  it("answers each organization's voice at the dates it can change, as GET /voice does", async () => {
    const body = await feed();
    const us = body.voices.find((v: { organizationId: string }) => v.organizationId === 'us-government');
    // Rubio spoke "last week": the voice may change where his range begins, and where it ends.
    expect(us.samples.map((s: { date: string }) => s.date)).toEqual(['2025-02-17', '2025-02-23', '2025-02-26']);
    for (const { date, voice } of us.samples) expect(voice).toEqual((await ok(service.get(`/api/actors/us-government/voice/${TOPIC}?at=${date}`), 200)).body);
  });

  it('answers as known at knownAt, and leaves retracted statements out unless includeRetracted=true', async () => {
    const later = await say(service, 'donald-trump', 'tighten', '2025-03-01', { summary: 'Said later' });
    const retracted = await say(service, 'marco-rubio', 'tighten', '2025-03-01', { summary: 'Misattributed' });
    clock.advance(60_000);
    await ok(retract(service, retracted.id));
    const eventsOf = (body: any, actorId: string) => body.actors.find((a: { actorId: string }) => a.actorId === actorId).events.map((e: any) => e.data.statementId);
    expect(eventsOf(await feed(`knownAt=${SEEDED}`), 'donald-trump')).not.toContain(later.id);
    expect(eventsOf(await feed(), 'donald-trump')).toContain(later.id);
    expect(eventsOf(await feed(), 'marco-rubio')).not.toContain(retracted.id);
    expect(eventsOf(await feed('includeRetracted=true'), 'marco-rubio')).toEqual(expect.arrayContaining([retracted.id, retracted.id]));
    expect((await feed(`knownAt=${SEEDED}`)).knownAt).toBe(SEEDED);
  });

  it('gives retracted statements their range, as GET /statements/{id} does (timelines leave them out)', async () => {
    const vague = await say(service, 'valdis-dombrovskis', 'tighten', '2025-02', { summary: 'Some day in February' });
    clock.advance(60_000);
    await ok(retract(service, vague.id));
    const body = await feed('includeRetracted=true');
    const ranges = body.actors.find((a: { actorId: string }) => a.actorId === 'valdis-dombrovskis').retracted;
    const single = (await ok(service.get(`/api/statements/${vague.id}`), 200)).body;
    expect(ranges).toEqual(expect.arrayContaining([{ statementId: vague.id, earliest: single.earliest, latest: single.latest }]));
    expect((await feed()).actors.find((a: { actorId: string }) => a.actorId === 'valdis-dombrovskis').retracted).toEqual([]);
  });

  it('names every actor the page draws (speakers, their organizations), as GET /actors/{id} does, so the page needs no list of all actors', async () => {
    const body = await feed();
    const ids = body.directory.map((a: { id: string }) => a.id);
    for (const id of ['donald-trump', 'marco-rubio', 'us-government', 'european-union', 'russian-government']) expect(ids).toContain(id);
    for (const actor of body.directory) expect(actor).toEqual((await ok(service.get(`/api/actors/${actor.id}`), 200)).body);
  });

  it('lists with each topic how many actors spoke on it, so the page opens the busiest topic with no further request', async () => {
    const topics = (await ok(service.get('/api/topics'), 200)).body;
    const relief = topics.find((t: { id: string }) => t.id === TOPIC);
    expect(relief.speakers).toBe((await feed('includeRetracted=true')).actors.length);
    for (const topic of topics) expect(typeof topic.speakers).toBe('number');
  });

  it('refuses an unknown topic (404) and bad parameters (400)', async () => {
    expectError(await service.get('/api/topics/no-such-topic/feed'), 404, 'topicId');
    expectError(await service.get(`/api/topics/${TOPIC}/feed?knownAt=soon`), 400, 'knownAt');
    expectError(await service.get(`/api/topics/${TOPIC}/feed?cursor=%25%25`), 400, 'cursor');
    expectError(await service.get(`/api/topics/${TOPIC}/feed?includeRetracted=1`), 400, 'includeRetracted');
    expectError(await service.get(`/api/topics/${TOPIC}/feed?other=1`), 400);
  });
});
