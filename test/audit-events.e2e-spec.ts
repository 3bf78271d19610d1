import type { TestService } from './support/app-harness';
import { correct, expectEnvelope, expectError, freshPerson, ok, positionStream, say, retract, startWithTopic, TOPIC } from './support/world';

type Envelope = { position: number; type: string; streamId: string; recordedAt: string; data: Record<string, unknown> };

describe('audit: GET /api/events, the log as a paged feed', () => {
  let service: TestService;
  let all: Envelope[];
  let actorA: string;
  let actorB: string;

  const page = async (query: string) => (await ok(service.get(`/api/events${query ? `?${query}` : ''}`), 200)).body as { events: Envelope[]; next: number | null };

  /** Walks the log page by page with `after` = the previous answer's `next`. */
  async function walk(limit: number, filter = ''): Promise<{ events: Envelope[]; pages: number }> {
    const events: Envelope[] = [];
    let pages = 0;
    for (let after = 0; ; pages++) {
      const answer = await page(`after=${after}&limit=${limit}${filter ? `&${filter}` : ''}`);
      expect(answer.events.length).toBeLessThanOrEqual(limit);
      events.push(...answer.events);
      if (answer.next === null) return { events, pages: pages + 1 };
      expect(answer.events).toHaveLength(limit);
      expect(answer.next).toBe(answer.events[answer.events.length - 1].position);
      after = answer.next;
    }
  }

  beforeAll(async () => {
    service = await startWithTopic();
    actorA = await freshPerson(service, 'feed');
    actorB = await freshPerson(service, 'feed');
    const a1 = await say(service, actorA, 'concessions-needed', '2025-02-18');
    const a2 = await say(service, actorA, 'not-yet', '2025-02-26');
    const b1 = await say(service, actorB, 'tighten', '2025-02-24');
    await ok(correct(service, a1.id, { summary: 'Corrected' }));
    await ok(correct(service, b1.id, { stance: 'no-lifting' }));
    await ok(retract(service, a2.id));
    for (let i = 0; i < 8; i++) await say(service, i % 2 ? actorA : actorB, 'not-yet', `2025-01-${String(i + 10)}`);
    // 1 topic + 2 actors + 3 + 2 corrections + 1 retraction + 8 statements = 17 events.
    all = (await page('limit=1000')).events;
  });
  afterAll(() => service.close());

  it('answers {events, next} with the whole log in one big page, next null at the end', async () => {
    const answer = await page('limit=1000');
    expect(Object.keys(answer).sort()).toEqual(['events', 'next']);
    expect(answer.next).toBeNull();
    expect(all).toHaveLength(17);
    all.forEach(expectEnvelope);
    expect(all[0]).toMatchObject({ type: 'TopicOpened', streamId: `topic-${TOPIC}`, streamPosition: 0 });
  });

  it('keeps global positions strictly increasing and recordedAt never decreasing', () => {
    for (let i = 1; i < all.length; i++) {
      expect(all[i].position).toBeGreaterThan(all[i - 1].position);
      expect(Date.parse(all[i].recordedAt)).toBeGreaterThanOrEqual(Date.parse(all[i - 1].recordedAt));
    }
  });

  it.each([1, 2, 3, 5, 16, 17, 100])('gives the same log walked page by page with limit=%i', async (limit) => {
    const { events, pages } = await walk(limit);
    expect(events).toEqual(all);
    expect(pages).toBe(Math.ceil(17 / limit)); // the page that reaches the end says so: next null
  });

  it('answers events with a position greater than `after`, and an empty last page after the end', async () => {
    const middle = all[7].position;
    expect((await page(`after=${middle}&limit=1000`)).events).toEqual(all.slice(8));
    expect(await page(`after=${all[all.length - 1].position}`)).toEqual({ events: [], next: null });
    expect(await page('after=999999')).toEqual({ events: [], next: null });
    expect((await page('after=0')).events).toEqual(all);
  });

  it('filters by one type, or a comma-separated list of types, in log order', async () => {
    const corrected = await page('type=StatementCorrected');
    expect(corrected.events.map((e) => e.type)).toEqual(['StatementCorrected', 'StatementCorrected']);
    expect(corrected.events).toEqual(all.filter((e) => e.type === 'StatementCorrected'));
    expect(corrected.next).toBeNull();

    const audit = await page('type=StatementCorrected,StatementRetracted&limit=1000');
    expect(audit.events).toEqual(all.filter((e) => ['StatementCorrected', 'StatementRetracted'].includes(e.type)));
    expect(audit.events).toHaveLength(3);
    expect((await page('type=NoSuchEvent')).events).toEqual([]);
  });

  it('filters by stream, and combines filters with paging', async () => {
    const streamA = positionStream(actorA);
    const ofA = all.filter((e) => e.streamId === streamA);
    expect(ofA).toHaveLength(8);
    expect((await page(`streamId=${streamA}&limit=1000`)).events).toEqual(ofA);
    expect((await walk(3, `streamId=${streamA}`)).events).toEqual(ofA);

    const statedOfA = ofA.filter((e) => e.type === 'PositionStated');
    expect((await walk(2, `streamId=${streamA}&type=PositionStated`)).events).toEqual(statedOfA);
    expect((await page(`streamId=${positionStream(actorB)}&type=StatementRetracted`)).events).toEqual([]);
    expect((await page('streamId=position-nobody.nothing')).events).toEqual([]);
  });

  it('pages a filter by the positions of the events it keeps', async () => {
    const first = await page('type=PositionStated&limit=4');
    expect(first.events.every((e) => e.type === 'PositionStated')).toBe(true);
    expect(first.next).toBe(first.events[3].position);
    const second = await page(`type=PositionStated&limit=4&after=${first.next}`);
    expect(second.events[0].position).toBeGreaterThan(first.next!);
    expect([...first.events, ...second.events]).toEqual(all.filter((e) => e.type === 'PositionStated').slice(0, 8));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=1e3', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=10.5', 'limit'],
    ['limit=', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['after=-1', 'after'],
    ['after=abc', 'after'],
    ['after=1.5', 'after'],
    ['after=', 'after'],
    ['after[]=1', undefined],
    ['type=', 'type'],
    ['type=PositionStated,', 'type'],
    ['streamId=', 'streamId'],
    ['before=10', 'before'],
    ['foo=bar', 'foo'],
  ])('answers 400 for %s', async (query, field) => {
    expectError(await service.get(`/api/events?${query}`), 400, field);
  });

  it('accepts limit=1000 and limit=1 exactly', async () => {
    expect(await page('limit=1000')).toEqual({ events: all, next: null });
    expect(await page('limit=1')).toEqual({ events: [all[0]], next: all[0].position });
  });

  // Last: it grows the log beyond `all`.
  it('defaults to 100 events from the start', async () => {
    const ids = Array.from({ length: 90 }, (_, i) => `bulk-${i}`);
    await Promise.all(ids.map((id) => ok(service.post('/api/actors', { id, name: id, kind: 'organization' }))));
    const first = await page('');
    expect(first.events).toHaveLength(100);
    expect(first.events.slice(0, all.length)).toEqual(all);
    expect(first.next).toBe(first.events[99].position);
    const rest = await page(`after=${first.next}`);
    expect(rest.events).toHaveLength(7);
    expect(rest.next).toBeNull();
    expect(await page('limit=1000')).toEqual({ events: [...first.events, ...rest.events], next: null });
  });
});
