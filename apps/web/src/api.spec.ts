import { Api, ApiError, readableError, retryAfterSeconds } from './api';

describe('web api: refusals in words', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.UTC(2025, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2025, 0, 1))).toBe(30);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
  });

  it('says what happened and what to do, never a framework exception name', () => {
    const busy = readableError(new ApiError(429, 'ThrottlerException: Too Many Requests', 60));
    expect(busy).toContain('busy');
    expect(busy).not.toContain('ThrottlerException');
    expect(readableError(new ApiError(503, 'store unavailable'))).toMatch(/failed to answer \(503\).*Retry/);
    expect(readableError(new TypeError('Failed to fetch'))).toContain('could not be reached');
  });
});

describe('web api: a topic feed of several pages', () => {
  const actor = (id: string) => ({ id, name: id, kind: 'person', aliases: [], wikidataId: null, affiliations: [] });
  const speaker = (actorId: string) => ({ actorId, timeline: { entries: [] }, events: [], retracted: [] });
  const pages: Record<string, unknown> = {
    '': { topic: { id: 't' }, knownAt: 'k', actors: [speaker('a')], voices: [{ organizationId: 'org', samples: [] }], directory: [actor('a'), actor('org')], next: 'p2' },
    p2: { topic: { id: 't' }, knownAt: 'k', actors: [speaker('b')], voices: [], directory: [actor('b'), actor('org')], next: 'p3' },
    p3: { topic: { id: 't' }, knownAt: 'k', actors: [speaker('c')], voices: [], directory: [actor('c')], next: null },
  };
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('follows next, and keeps every page\'s actors and the actors each names, once, with the first page\'s voices', async () => {
    const asked: string[] = [];
    globalThis.fetch = (async (url: string) => {
      asked.push(url);
      const cursor = new URL(url, 'http://page').searchParams.get('cursor') ?? '';
      return new Response(JSON.stringify(pages[cursor]), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const feed = await new Api().feed('t', null);
    expect(asked).toHaveLength(3);
    expect(feed.actors.map((a) => a.actorId)).toEqual(['a', 'b', 'c']);
    expect(feed.directory.map((a) => a.id)).toEqual(['a', 'org', 'b', 'c']);
    expect(feed.voices.map((v) => v.organizationId)).toEqual(['org']);
  });
});
