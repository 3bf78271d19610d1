import { turnsDuring } from '@positions/testing';
import { ACTOR_PAGE_BYTES, ACTORS_PER_PIECE, fillActorPage, fingerprintOf, MAX_ACTORS_READ, readCursor, writeCursor } from './actor-pages';

describe('fillActorPage', () => {
  const actors = (n: number) => Array.from({ length: n }, (_, i) => ({ actorId: `a-${String(i).padStart(5, '0')}`, size: 10 }));

  /** A reader over `all` that records how many actors each piece asked for. */
  function reader<A extends { actorId: string }>(all: A[]) {
    const asked: number[] = [];
    const read = (after: string, n: number) => {
      asked.push(n);
      const entries = all.filter((a) => a.actorId > after).slice(0, n);
      return { entries, through: entries.length === n ? entries[n - 1].actorId : null };
    };
    return { read, asked };
  }

  /** Every page of `all`, walked with `limit`, skipping the entries `keep` leaves out. */
  async function walk(all: { actorId: string; size: number }[], limit: number, keep = (_: { actorId: string }) => true) {
    const { read } = reader(all);
    const pages: string[][] = [];
    for (let after: string | null = ''; after !== null; ) {
      const page: { entries: string[]; after: string | null } = await fillActorPage(after, limit, read, (a) => (keep(a) ? a.actorId : null));
      pages.push(page.entries);
      after = page.after;
    }
    return pages;
  }

  it('gives every kept actor once, in order, in pages of at most limit', async () => {
    const all = actors(95);
    const keep = (a: { actorId: string }) => !a.actorId.endsWith('3');
    const pages = await walk(all, 10, keep);
    expect(pages.flat()).toEqual(all.filter(keep).map((a) => a.actorId));
    expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(10);
  });

  it('reads only the actors a page needs, plus one to know whether more follow', async () => {
    const { read, asked } = reader(actors(10_000));
    const page = await fillActorPage('', 100, read, (a) => a.actorId);
    expect(page.entries).toHaveLength(100);
    expect(page.after).toBe('a-00099');
    expect(asked).toEqual([101]);
  });

  it('reads a page of a thousand in pieces, with other requests let in between them', async () => {
    const all = actors(5_000);
    const { read, asked } = reader(all);
    let piecesReadInOneTurn = 0;
    let mostInOneTurn = 0;
    const counting = (after: string, n: number) => {
      mostInOneTurn = Math.max(mostInOneTurn, ++piecesReadInOneTurn);
      return read(after, n);
    };
    const { result: page } = await turnsDuring(
      () => fillActorPage('', 1000, counting, (a) => a.actorId),
      () => (piecesReadInOneTurn = 0),
    );
    expect(page.entries).toEqual(all.slice(0, 1000).map((a) => a.actorId));
    expect(page.after).toBe(all[999].actorId);
    expect(Math.max(...asked)).toBeLessThanOrEqual(ACTORS_PER_PIECE + 1);
    // A changes page read 2,000 actors at two dates in one turn: 39-75 ms at 1,000,000 statements.
    expect(mostInOneTurn).toBe(1);
  });

  it('reads pieces of at most ACTORS_PER_PIECE actors where few have an entry, every entry once over the pages', async () => {
    // Only every 700th actor has a statement by the date asked: a piece still covers its actors, and ends where they end.
    const all = actors(5_000);
    const asked: number[] = [];
    const sparse = (after: string, n: number) => {
      asked.push(n);
      const covered = all.filter((a) => a.actorId > after).slice(0, n);
      return { entries: covered.filter((_, i) => Number(covered[i].actorId.slice(2)) % 700 === 0), through: covered.length === n ? covered[n - 1].actorId : null };
    };
    const pages: string[][] = [];
    for (let after: string | null = ''; after !== null; ) {
      const page: { entries: string[]; after: string | null } = await fillActorPage(after, 1000, sparse, (a) => a.actorId);
      pages.push(page.entries);
      after = page.after;
    }
    expect(pages.flat()).toEqual(all.filter((a) => Number(a.actorId.slice(2)) % 700 === 0).map((a) => a.actorId));
    expect(Math.max(...asked)).toBeLessThanOrEqual(ACTORS_PER_PIECE);
    expect(pages).toHaveLength(3);
  });

  it('ends a page after MAX_ACTORS_READ actors read, even with none kept, and goes on from there', async () => {
    const all = actors(MAX_ACTORS_READ * 2 + 5);
    const { read } = reader(all);
    const first = await fillActorPage('', 1000, read, () => null);
    expect(first).toEqual({ entries: [], after: all[MAX_ACTORS_READ - 1].actorId });
    expect((await walk(all, 1000, (a) => a.actorId === all.at(-1)?.actorId)).flat()).toEqual([all.at(-1)?.actorId]);
  });

  it('ends a page before its entries pass the byte bound, always with at least one entry', async () => {
    const big = 'x'.repeat(300_000);
    const all = actors(7).map((a) => ({ ...a, text: big }));
    const { read } = reader(all);
    const pages: number[] = [];
    for (let after: string | null = ''; after !== null; ) {
      const page: { entries: unknown[]; after: string | null } = await fillActorPage(after, 1000, read, (a) => a);
      pages.push(page.entries.length);
      expect(Buffer.byteLength(JSON.stringify(page.entries))).toBeLessThanOrEqual(ACTOR_PAGE_BYTES);
      after = page.after;
    }
    expect(pages).toEqual([3, 3, 1]);
    const huge = [{ actorId: 'a', text: 'y'.repeat(ACTOR_PAGE_BYTES * 2) }];
    expect((await fillActorPage('', 10, reader(huge).read, (a) => a)).entries).toHaveLength(1);
  });
});

describe('actor cursors', () => {
  const time = { at: '2025-02-26', atMs: 1, knownAt: '2025-03-01T00:00:00.000Z', knownAtMs: 2 };

  it('come back as given for the same query, and are refused (400 on cursor) for another or when made up', () => {
    const f = fingerprintOf(['positions', 't', undefined, undefined]);
    const cursor = writeCursor({ f, t: time, a: 'actor-9' });
    expect(readCursor(cursor, f)).toEqual({ f, t: time, a: 'actor-9' });
    expect(() => readCursor(cursor, fingerprintOf(['positions', 'other', undefined, undefined]))).toThrow(expect.objectContaining({ field: 'cursor' }));
    for (const made of ['', 'abc', Buffer.from('{"f":1}').toString('base64url'), Buffer.from(JSON.stringify({ f, t: { ...time, atMs: 'x' }, a: 'b' })).toString('base64url')]) {
      expect(() => readCursor(made, f)).toThrow(expect.objectContaining({ field: 'cursor' }));
    }
  });
});
