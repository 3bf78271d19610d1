import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, movableClock, ok } from './support/world';

/*
 * Landscapes and changes of a big topic come in pages (docs/api.md, "Pages"): bounded in count
 * and in bytes, walked with `next`, every actor exactly once, as of one record time.
 */

jest.setTimeout(300_000);

const TOPIC = 'long-labels';
/** Enough actors that one page of their landscape would pass 1 MB without the byte bound. */
const ACTORS = 800;
const CODES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const PAGE_BYTES = 1_000_000;

type Page<K extends string> = { [key in K]: { actorId: string }[] } & { next: string | null; knownAt: string };

describe('paged landscapes and changes', () => {
  const clock = movableClock('2025-03-01T12:00:00Z');
  let service: TestService;
  const actorIds = Array.from({ length: ACTORS }, (_, i) => `actor-${String(i).padStart(4, '0')}-${'x'.repeat(52)}`);

  /** Every page of `path`, with `limit`, each page's raw length in bytes too; `between` runs after each page. */
  async function walk<K extends string>(path: string, key: K, limit?: number, between: () => Promise<void> = async () => {}) {
    const pages: { body: Page<K>; bytes: number }[] = [];
    for (let cursor: string | null = null; ; ) {
      const query = [limit === undefined ? '' : `&limit=${limit}`, cursor === null ? '' : `&cursor=${cursor}`].join('');
      const answer = await ok(service.get(`${path}${query}`), 200);
      pages.push({ body: answer.body, bytes: Buffer.byteLength(JSON.stringify(answer.body)) });
      cursor = answer.body.next;
      if (cursor === null) return { pages, entries: pages.flatMap((p) => p.body[key]) };
      await between();
    }
  }

  beforeAll(async () => {
    service = await startService({ clock: clock.now });
    // Labels of the longest kind: each alternative in an answer repeats one.
    const stances = CODES.map((code, i) => ({ code, label: `${code} `.repeat(40).slice(0, 200), score: i - 2 }));
    await ok(service.post('/api/topics', { id: TOPIC, title: 'A topic with long stance labels', proposition: 'Labels can be long', stances }));
    for (const [i, id] of actorIds.entries()) {
      clock.advance(1000);
      await ok(service.post('/api/actors', { id, name: `Actor ${i}`, kind: 'person' }));
      // A certain stance in January, then four others possibly said in February: each an alternative at 2025-02-15.
      const said = [{ stance: CODES[i % 5], statedOn: '2025-01-10' }, ...CODES.filter((c) => c !== CODES[i % 5]).map((stance) => ({ stance, statedOn: '2025-02' }))];
      for (const { stance, statedOn } of said) {
        await ok(service.post('/api/statements', { actorId: id, topicId: TOPIC, stance, statedOn, summary: `Actor ${i} on labels`, source: { title: 'Test' } }));
      }
    }
  });
  afterAll(() => service.close());

  it('answers a landscape in pages under about 1 MB that together hold every actor exactly once', async () => {
    const knownAt = clock.iso();
    const path = `/api/topics/${TOPIC}/positions?at=2025-02-15&knownAt=${knownAt}`;
    const { pages, entries } = await walk(path, 'positions');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.bytes).toBeLessThanOrEqual(PAGE_BYTES + 1000);
    expect(entries.map((p) => p.actorId)).toEqual(actorIds);
    expect(entries[0]).toMatchObject({ certainty: 'uncertain', alternatives: expect.arrayContaining([expect.objectContaining({ statementId: expect.any(String) })]) });
    // Smaller pages hold the same entries, in the same order.
    expect((await walk(path, 'positions', 37)).entries).toEqual(entries);
    const one = await ok(service.get(`/api/actors/${actorIds[500]}/positions/${TOPIC}?at=2025-02-15&knownAt=${knownAt}`), 200);
    const { stance, since, statement, certainty, alternatives } = one.body;
    expect(entries[500]).toEqual({ actorId: actorIds[500], stance, since, statementId: statement.statementId, certainty, alternatives });
  });

  it('keeps the record time of the first page on every later page, while statements are recorded between pages', async () => {
    const path = `/api/topics/${TOPIC}/changes?from=2024-12-31&to=2025-01-31`;
    const before = await walk(path, 'changes', 150);
    expect(before.entries.map((c) => c.actorId)).toEqual(actorIds);
    expect(before.entries[0]).toMatchObject({ before: null, after: { code: 'alpha' }, shift: 'first' });
    let n = 0;
    const during = await walk(path, 'changes', 150, async () => {
      clock.advance(1000);
      await ok(service.post('/api/statements', { actorId: actorIds[799 - n++], topicId: TOPIC, stance: 'echo', statedOn: '2025-01-20', summary: 'Written between pages', source: { title: 'Test' } }));
    });
    expect(during.pages.map((p) => p.body.knownAt)).toEqual(during.pages.map(() => before.pages[0].body.knownAt));
    expect(during.entries).toEqual(before.entries);
    // A new walk sees the new record.
    const after = await walk(path, 'changes', 1000);
    expect(after.entries).not.toEqual(before.entries);
    expect(after.entries.map((c) => c.actorId)).toEqual(actorIds);
  });

  it('answers the first page and next to a client that asks no limit, and the same changes as two landscapes tell', async () => {
    clock.advance(1000);
    await ok(service.post('/api/statements', { actorId: actorIds[0], topicId: TOPIC, stance: 'echo', statedOn: '2025-01-20', summary: 'A change', source: { title: 'Test' } }));
    const first = (await ok(service.get(`/api/topics/${TOPIC}/positions?at=2025-01-31`), 200)).body;
    expect(first.positions).toHaveLength(800);
    expect(first.next).toBeNull();
    const limited = (await ok(service.get(`/api/topics/${TOPIC}/positions?at=2025-01-31&limit=10`), 200)).body;
    expect(limited.positions).toEqual(first.positions.slice(0, 10));
    expect(limited.next).toEqual(expect.any(String));
    const changes = (await ok(service.get(`/api/topics/${TOPIC}/changes?from=2025-01-11&to=2025-01-31&knownAt=${first.knownAt}`), 200)).body;
    const earlier = (await ok(service.get(`/api/topics/${TOPIC}/positions?at=2025-01-11&knownAt=${first.knownAt}`), 200)).body;
    const was = new Map(earlier.positions.map((p: { actorId: string; stance: { code: string } }) => [p.actorId, p.stance.code]));
    const changed = first.positions.filter((p: { actorId: string; stance: { code: string } }) => was.get(p.actorId) !== p.stance.code).map((p: { actorId: string }) => p.actorId);
    expect(changed.length).toBeGreaterThan(0);
    expect(changes.changes.map((c: { actorId: string }) => c.actorId)).toEqual(changed);
    expect(changes.next).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=1e3', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=***', 'cursor'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['cursor=', 'cursor'],
  ])('refuses %s with 400 naming the field, writing nothing', async (query, field) => {
    for (const path of [`/api/topics/${TOPIC}/positions?at=2025-02-15&`, `/api/topics/${TOPIC}/changes?from=2025-01-01&to=2025-02-01&`]) {
      expectError(await expectNothingWritten(service, () => service.get(`${path}${query}`)), 400, field);
    }
  });

  it("refuses a cursor given with another query's topic or dates", async () => {
    const landscape = (await ok(service.get(`/api/topics/${TOPIC}/positions?at=2025-02-15&limit=5`), 200)).body;
    const changes = (await ok(service.get(`/api/topics/${TOPIC}/changes?from=2025-01-01&to=2025-02-01&limit=5`), 200)).body;
    for (const url of [
      `/api/topics/${TOPIC}/positions?at=2025-02-16&limit=5&cursor=${landscape.next}`,
      `/api/topics/${TOPIC}/positions?at=2025-02-15&limit=5&cursor=${changes.next}`,
      `/api/topics/${TOPIC}/changes?from=2025-01-01&to=2025-02-02&limit=5&cursor=${changes.next}`,
    ]) {
      expectError(await expectNothingWritten(service, () => service.get(url)), 400, 'cursor');
    }
    expect((await ok(service.get(`/api/topics/${TOPIC}/positions?at=2025-02-15&limit=5&cursor=${landscape.next}`), 200)).body.positions).toHaveLength(5);
  });
});
