import { startService, type TestService } from './support/app-harness';
import { DataSetLoader } from '@positions/application';
import { PROCESS_TEST_MS } from './support/timeouts';
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

  it('echoes the record time it read when knownAt is left out, and answers the same when asked again with it after more is recorded', async () => {
    const first = await feed('includeRetracted=true');
    expect(first.knownAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));
    await say(service, 'donald-trump', 'tighten', '2025-03-02', { summary: 'Said after the first feed' });
    const again = await feed(`includeRetracted=true&knownAt=${encodeURIComponent(first.knownAt)}`);
    expect(again).toEqual(first);
    expect((await feed()).knownAt > first.knownAt).toBe(true);
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

/*
 * A topic over the feed's page bound (~8 MB): 1,100 statements with the longest quote and summary there may be, said by 110
 * people, 30 of them speaking for an organization, and a crowd of actors with nothing to say on it.
 */
describe('GET /api/topics/{t}/feed on a topic of several pages', () => {
  let service: TestService;
  const TOPIC_ID = 'big-topic';
  const people = Array.from({ length: 110 }, (_, i) => `speaker-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    service = await startService();
    const statements = Array.from({ length: 1100 }, (_, i) => ({
      actorId: people[i % people.length],
      topicId: TOPIC_ID,
      stance: i % 3 === 0 ? 'against' : 'for',
      statedOn: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      summary: `${'s'.repeat(1990)} ${i}`,
      quote: `${'q'.repeat(4990)} ${i}`,
      source: { title: 'report' },
    }));
    await service.app.get(DataSetLoader).load(
      {
        actors: [
          { id: 'big-org', name: 'Big organization', kind: 'organization', aliases: [] },
          ...people.map((id) => ({ id, name: `Person ${id}`, kind: 'person' as const, aliases: [] })),
          ...Array.from({ length: 200 }, (_, i) => ({ id: `bystander-${i}`, name: `Bystander ${i}`, kind: 'person' as const, aliases: [] })),
        ],
        affiliations: people.slice(80).map((actorId) => ({ actorId, organizationId: 'big-org', role: 'spokesperson', from: '2023-01-01', speaksFor: true })),
        topics: [{ id: TOPIC_ID, title: 'Big topic', proposition: 'Big things should happen', stances: [{ code: 'for', label: 'For', score: 1 }, { code: 'against', label: 'Against', score: -1 }] }],
        statements,
      },
      'test',
    );
  }, PROCESS_TEST_MS);
  afterAll(() => service.close());

  it('follows next page by page to every speaker once; the first page carries the voices, each page names its actors', async () => {
    const pages = [];
    for (let cursor: string | null = null, n = 0; n === 0 || cursor !== null; n++) {
      const page: { next: string | null } & Record<string, any> = (await ok(service.get(`/api/topics/${TOPIC_ID}/feed${cursor ? `?cursor=${cursor}` : ''}`), 200)).body;
      pages.push(page);
      cursor = page.next;
      expect(n).toBeLessThan(10);
    }
    expect(pages.length).toBeGreaterThan(1);
    const speakers = pages.flatMap((page) => page.actors.map((a: { actorId: string }) => a.actorId));
    expect(speakers).toEqual(people);
    // Every page reads the record as the first one did.
    expect(new Set(pages.map((page) => page.knownAt)).size).toBe(1);
    // The organization's voice, though its spokespeople are on the last page only.
    expect(pages[0].voices.map((v: { organizationId: string }) => v.organizationId)).toEqual(['big-org']);
    const samples = pages[0].voices[0].samples;
    // The days its spokespeople spoke on (each statement's is its only day): 30 people with 10 statements each.
    const spoken = new Set(Array.from({ length: 1100 }, (_, i) => i).filter((i) => i % 110 >= 80).map((i) => `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`));
    expect(samples.map((s: { date: string }) => s.date)).toEqual([...spoken].sort());
    for (const { date, voice } of [samples[0], samples[samples.length >> 1], samples[samples.length - 1]]) {
      expect(voice).toEqual((await ok(service.get(`/api/actors/big-org/voice/${TOPIC_ID}?at=${date}`), 200)).body);
    }
    for (const page of pages.slice(1)) expect(page.voices).toEqual([]);
    // Each page names its speakers and their organizations; the first also the organizations with a voice.
    for (const page of pages) {
      const named = new Set(page.directory.map((a: { id: string }) => a.id));
      for (const actor of page.actors) expect(named).toContain(actor.actorId);
    }
    expect(pages[0].directory.map((a: { id: string }) => a.id)).toContain('big-org');
    expect(pages.flatMap((page) => page.directory.map((a: { id: string }) => a.id)).filter((id: string) => id.startsWith('bystander'))).toEqual([]);
  });

  it('refuses a cursor that is not the next of a page', async () => {
    expectError(await service.get(`/api/topics/${TOPIC_ID}/feed?cursor=${'A'.repeat(3000)}`), 400, 'cursor');
    expectError(await service.get(`/api/topics/${TOPIC_ID}/feed?cursor=bm90LWpzb24`), 400, 'cursor');
  });
});
