import { turnsDuring } from '@positions/testing';
import { jsonObject } from './json-stream';

async function text(pieces: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of pieces) chunks.push(chunk);
  return chunks;
}

describe('jsonObject', () => {
  it('writes the same text as JSON.stringify, properties without a JSON value left out as it leaves them', async () => {
    const value = {
      topic: { id: 'russia-sanctions-relief', title: 'Sanctions «relief»', createdAt: new Date(Date.UTC(2025, 1, 26)) },
      knownAt: null,
      skipped: undefined,
      actors: [{ actorId: 'a', events: [1, 'two', { three: 3 }] }, undefined, [], 'é\u2028"'],
      voices: [],
      count: 0,
      next: 'b64',
    };
    expect((await text(jsonObject(value))).join('')).toBe(JSON.stringify(value));
    expect((await text(jsonObject({}))).join('')).toBe('{}');
  });

  it('writes a page of megabytes a chunk per turn, so other requests are answered while it is written', async () => {
    // A feed page of 2,000 actors of ~1.5 KB each: ~3 MB, which Fastify serialised in one turn (40-70 ms at 8 MB).
    const actors = Array.from({ length: 2000 }, (_, i) => ({ actorId: `actor-${i}`, quote: 'x'.repeat(1500) }));
    const page = { topic: { id: 't' }, actors, next: null };
    const { result: chunks, turns } = await turnsDuring(() => text(jsonObject(page)));
    expect(JSON.parse(chunks.join(''))).toEqual(page);
    expect(chunks.length).toBeGreaterThan(40);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(65_536 + 2_000);
    // Another turn of the loop between every two chunks.
    expect(turns).toBeGreaterThanOrEqual(chunks.length - 1);
  });

  it('writes an array item as the text already made for it, serialising only the others', async () => {
    const made = { actorId: 'a', big: 'x'.repeat(10) };
    const made2 = { actorId: 'b' };
    const texts = new Map<unknown, string>([[made, JSON.stringify(made)], [made2, JSON.stringify(made2)]]);
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      const written = (await text(jsonObject({ actors: [made, made2, { actorId: 'c' }] }, (item) => texts.get(item)))).join('');
      expect(JSON.parse(written)).toEqual({ actors: [made, made2, { actorId: 'c' }] });
      expect(stringify.mock.calls.map(([value]) => value)).not.toContain(made);
      expect(stringify.mock.calls.map(([value]) => value)).not.toContain(made2);
    } finally {
      stringify.mockRestore();
    }
  });
});
