import { openViewsDatabase } from './views-database';
import { sortedInTurns, WatchCheckpoint } from './watch-checkpoint';

/** A deterministic shuffle (the same order every run). */
function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('the watch checkpoint of a large state', () => {
  it('given parts in any order, then sorting them between pauses answers what one sort answers, pausing every few thousand', async () => {
    const byNumber = (a: number, b: number) => a - b;
    for (const size of [0, 1, 8191, 8192, 8193, 50_000]) {
      const items = shuffled(Array.from({ length: size }, (_, i) => i % 9_973));
      let pauses = 0;
      const sorted = await sortedInTurns(items, byNumber, async () => void pauses++);
      expect(sorted).toEqual([...items].sort(byNumber));
      expect(items).toHaveLength(size);
      if (size > 8192) expect(pauses).toBeGreaterThanOrEqual(Math.floor(size / 8192));
    }
  });

  it('given 20,001 changed parts after a large import, then one save stores each with its data and the head, letting other work in between', async () => {
    const checkpoint = new WatchCheckpoint(openViewsDatabase(':memory:'));
    const parts = shuffled(Array.from({ length: 20_001 }, (_, i) => ({ kind: i % 2 ? 'stream' : 'stances', key: `actor-${i}.topic-${i % 100}`, n: i })));
    let pauses = 0;
    const identity = { kind: 'sqlite', firstEvent: 'e-1' };
    await checkpoint.save({ identity, format: 1, head: { position: 42, forgottenThrough: 0 } }, parts, (p) => ({ kind: p.kind, key: p.key, data: JSON.stringify({ n: p.n }) }), [], async () => void pauses++);
    expect(checkpoint.read(identity, 1)).toEqual({ position: 42, forgottenThrough: 0 });
    const rows = checkpoint.rows(null, 30_000);
    expect(rows).toHaveLength(20_001);
    const byKey = new Map(rows.map((row) => [`${row.kind} ${row.key}`, JSON.parse(row.data!) as { n: number }]));
    for (const part of parts) expect(byKey.get(`${part.kind} ${part.key}`)).toEqual({ n: part.n });
    expect(pauses).toBeGreaterThanOrEqual(10);
    checkpoint.close();
  });

  it('loads the parts of one kind as keys only, and reads back any one part as saved', async () => {
    const checkpoint = new WatchCheckpoint(openViewsDatabase(':memory:'));
    const parts = Array.from({ length: 12 }, (_, i) => ({ kind: i % 3 ? 'stream' : 'members', key: `k${String(i).padStart(2, '0')}`, n: i }));
    const identity = { kind: 'sqlite', firstEvent: 'e-1' };
    await checkpoint.save({ identity, format: 1, head: { position: 7, forgottenThrough: 0 } }, parts, (p) => ({ kind: p.kind, key: p.key, data: JSON.stringify({ n: p.n }) }), [], async () => undefined);
    const paged: ReturnType<WatchCheckpoint['rows']> = [];
    for (let page = checkpoint.rows(null, 5, 'stream'); page.length > 0; page = checkpoint.rows(page.at(-1)!, 5, 'stream')) paged.push(...page);
    expect(paged).toHaveLength(12);
    for (const row of paged) expect(row.data).toBe(row.kind === 'stream' ? null : JSON.stringify({ n: Number(row.key.slice(1)) }));
    expect(checkpoint.part('stream', 'k05')).toBe(JSON.stringify({ n: 5 }));
    expect(checkpoint.part('stream', 'k03')).toBeNull();
    checkpoint.close();
    // Closed (the service shutting down), it saves nothing and says so: the saver keeps what it held.
    expect(await checkpoint.save({ identity, format: 1, head: { position: 8, forgottenThrough: 0 } }, parts, (p) => ({ kind: p.kind, key: p.key, data: '{}' }), [], async () => undefined)).toBe(false);
  });
});
