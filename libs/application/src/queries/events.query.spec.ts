import { MemoryEventStore, type StoredEvent } from '@positions/event-store';
import { EventsHandler, EventsQuery, MAX_EVENTS_PAGE_BYTES } from './events.query';

const meta = { recordedBy: 'recorder:test', correlationId: 'c', causationId: null };
const bytesOf = (events: readonly StoredEvent[]) => Buffer.byteLength(JSON.stringify(events));

/** `count` events on a few streams, each with a text of `size` characters (some of them multi-byte). */
async function storeWith(count: number, size: (i: number) => number): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  for (let i = 0; i < count; i++) {
    const type = i % 3 === 0 ? 'StatementRetracted' : 'PositionStated';
    await store.append(`position-a.t${i % 4}`, [{ type, schemaVersion: 1, data: { statementId: `s${i}`, summary: '€'.repeat(size(i)) } }], 'any', meta);
  }
  return store;
}

/** Every page from the start, following `next`. */
async function allPages(store: MemoryEventStore, options: { limit: number; types?: string[]; streamId?: string }) {
  const handler = new EventsHandler(store);
  const pages = [];
  for (let after: number | null = 0; after !== null; ) {
    const page = await handler.execute(new EventsQuery({ after, ...options }));
    pages.push(page);
    after = page.next;
  }
  return pages;
}

describe('the events feed', () => {
  it('given 300 statements of ~24 KB, when read with limit 1000, then every page stays under 1 MiB and paging loses and repeats nothing', async () => {
    const store = await storeWith(300, (i) => 8_000 + (i % 7) * 10);
    const pages = await allPages(store, { limit: 1000 });
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(bytesOf(page.events)).toBeLessThanOrEqual(MAX_EVENTS_PAGE_BYTES);
    expect(pages.flatMap((p) => p.events)).toEqual(await store.readAll({ limit: 1000 }));
    expect(pages.at(-1)?.next).toBeNull();
  });

  it('given filters, when paged by bytes, then the pages hold exactly the filtered events in order', async () => {
    const store = await storeWith(120, (i) => (i % 5 === 0 ? 60_000 : 100));
    for (const options of [{ types: ['PositionStated'] }, { streamId: 'position-a.t1' }]) {
      const pages = await allPages(store, { limit: 1000, ...options });
      expect(pages.flatMap((p) => p.events)).toEqual(await store.readAll({ limit: 1000, ...options }));
      for (const page of pages) expect(bytesOf(page.events)).toBeLessThanOrEqual(MAX_EVENTS_PAGE_BYTES);
    }
  });

  it('given an event larger than the bound, then it comes alone on its page, and the next page follows it', async () => {
    const store = await storeWith(3, (i) => (i === 1 ? 600_000 : 10));
    const pages = await allPages(store, { limit: 1000 });
    expect(pages.map((p) => p.events.map((e) => e.position))).toEqual([[1], [2], [3]]);
    expect(bytesOf(pages[1].events)).toBeGreaterThan(MAX_EVENTS_PAGE_BYTES);
  });

  it('given small events, then a page holds exactly `limit` events and `next` continues after them', async () => {
    const store = await storeWith(250, () => 10);
    const pages = await allPages(store, { limit: 120 });
    expect(pages.map((p) => p.events.length)).toEqual([120, 120, 10]);
    expect(pages.map((p) => p.next)).toEqual([120, 240, null]);
  });
});
