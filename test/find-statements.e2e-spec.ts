import { EVENT_STORE } from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { sanctionsReliefBody } from '@positions/testing';
import { randomUUID } from 'node:crypto';
import { startService, type TestService } from './support/app-harness';
import { correct, expectError, freshPerson, movableClock, ok, retract, say, seedWorld, TOPIC } from './support/world';

/*
 * GET /api/statements: full-text search (words, phrases, prefixes; case and accents ignored),
 * filters, knownAt (corrections' old words as known before them), and paging that neither
 * repeats nor misses a statement while statements are written between pages.
 */

describe('GET /api/statements (search)', () => {
  const clock = movableClock('2025-03-01T12:00:00Z');
  let service: TestService;
  const search = (query: string) => service.get(`/api/statements?${query}`);
  const ids = async (query: string): Promise<string[]> => (await ok(search(query), 200)).body.statements.map((s: { statementId: string }) => s.statementId);
  const q = (text: string) => `q=${encodeURIComponent(text)}`;

  beforeAll(async () => {
    service = await startService({ clock: clock.now });
    await seedWorld(service);
  });
  afterAll(() => service.close());

  /** Every statement id of a search, page by page, running `between` after each page. */
  async function allPages(query: string, between: (page: number) => Promise<void> = async () => {}): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; ; page++) {
      const answer: { body: { statements: { statementId: string }[]; next: string | null } } = await ok(search(`${query}${cursor ? `&cursor=${cursor}` : ''}`), 200);
      seen.push(...answer.body.statements.map((s) => s.statementId));
      cursor = answer.body.next;
      if (cursor === null) return seen;
      await between(page);
    }
  }

  it('finds words whatever their case and accents, phrases in order, and prefixes', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const { id } = await say(service, person, 'no-lifting', '2025-02-20', { summary: 'Zelenskyy met Dombrovskis in Brüssel about the sanctions' });
    for (const text of ['dombrovskis', 'DOMBROVSKIS', 'Zelenskyy', 'zelenskyy', 'brussel', 'Brüssel', 'BRUSSEL', 'bruss*', 'dombro*', '"met dombrovskis"', 'zelenskyy dombrovskis']) {
      expect({ text, ids: await ids(q(text)) }).toEqual({ text, ids: [id] });
    }
    for (const text of ['"dombrovskis met"', 'dombrovskis nowhere', 'brus']) expect({ text, ids: await ids(q(text)) }).toEqual({ text, ids: [] });
  });

  it('cites each statement exactly as GET /api/statements/{id} does', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const { id } = await say(service, person, 'tighten', '2025-02-21', { summary: 'Quixotic embargo words', quote: 'We want more' });
    const [found] = (await ok(search(q('quixotic')), 200)).body.statements;
    expect(found).toEqual((await ok(service.get(`/api/statements/${id}`), 200)).body);
    expect(found).toMatchObject({ statementId: id, actorId: person, topicId: TOPIC, stance: { code: 'tighten' }, summary: 'Quixotic embargo words' });
  });

  it('searches the quote and the source title and publisher too', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const { id } = await say(service, person, 'tighten', '2025-02-21', { quote: 'Wombat quote', source: { title: 'Platypus Daily report', publisher: 'Echidna Press' } });
    for (const text of ['wombat', 'platypus', 'echidna press']) expect(await ids(q(text))).toEqual([id]);
  });

  it('puts best matches first: every word in the summary, then in the quote, then elsewhere; latest first among equals', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const source = await say(service, person, 'tighten', '2025-02-25', { summary: 'Unrelated', source: { title: 'Kumquat lychee report' } });
    const quote = await say(service, person, 'tighten', '2025-02-24', { summary: 'Unrelated too', quote: 'kumquat and lychee' });
    const spread = await say(service, person, 'tighten', '2025-02-23', { summary: 'Kumquat', quote: 'lychee' });
    const older = await say(service, person, 'tighten', '2025-02-01', { summary: 'Lychee and kumquat' });
    const newer = await say(service, person, 'tighten', '2025-02-22', { summary: 'Kumquat, lychee', quote: 'kumquat lychee' });
    expect(await ids(q('kumquat lychee'))).toEqual([newer.id, older.id, quote.id, source.id, spread.id]);
  });

  it('filters by actor, topic and days, latest first without q', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const early = await say(service, person, 'tighten', '2025-02-01', { summary: 'Filterword early' });
    const middle = await say(service, person, 'no-lifting', '2025-02-10T10:00:00Z', { summary: 'Filterword middle' });
    const late = await say(service, person, 'not-yet', '2025-02-20', { summary: 'Filterword late' });
    expect(await ids(`actorId=${person}`)).toEqual([late.id, middle.id, early.id]);
    expect(await ids(`actorId=${person}&from=2025-02-10&to=2025-02-10`)).toEqual([middle.id]);
    expect(await ids(`actorId=${person}&from=2025-02-02`)).toEqual([late.id, middle.id]);
    expect(await ids(`actorId=${person}&to=2025-02-10T09:00:00Z`)).toEqual([early.id]);
    expect(await ids(`${q('filterword')}&topicId=${TOPIC}&actorId=${person}&from=2025-02-15`)).toEqual([late.id]);
    await ok(service.post('/api/topics', { ...sanctionsReliefBody(), id: 'find-other-topic' }));
    expect(await ids(`${q('filterword')}&topicId=find-other-topic`)).toEqual([]);
  });

  it('answers as known at knownAt: a statement recorded later is not found; a correction\'s old words are found as known before it', async () => {
    const person = await freshPerson(service);
    const before = clock.advance(60_000);
    clock.advance(60_000);
    const { id } = await say(service, person, 'tighten', '2025-02-21', { summary: 'Gooseberry original words' });
    const recorded = clock.advance(60_000);
    clock.advance(60_000);
    await ok(correct(service, id, { summary: 'Raspberry corrected words' }));
    expect(await ids(`${q('gooseberry')}&knownAt=${before}`)).toEqual([]);
    expect(await ids(`${q('gooseberry')}&knownAt=${recorded}`)).toEqual([id]);
    expect(await ids(q('gooseberry'))).toEqual([]);
    expect(await ids(`${q('raspberry')}&knownAt=${recorded}`)).toEqual([]);
    const [now] = (await ok(search(q('raspberry')), 200)).body.statements;
    expect(now).toMatchObject({ statementId: id, summary: 'Raspberry corrected words', correctedAt: expect.any(String) });
    const [then] = (await ok(search(`${q('gooseberry')}&knownAt=${recorded}`), 200)).body.statements;
    expect(then).toMatchObject({ statementId: id, summary: 'Gooseberry original words', correctedAt: null });
  });

  it('leaves retracted statements out unless includeRetracted=true, and shows them as retracted', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const { id } = await say(service, person, 'tighten', '2025-02-21', { summary: 'Mulberry misattributed' });
    const known = clock.advance(60_000);
    clock.advance(60_000);
    await ok(retract(service, id));
    expect(await ids(q('mulberry'))).toEqual([]);
    expect(await ids(`${q('mulberry')}&knownAt=${known}`)).toEqual([id]);
    const [retracted] = (await ok(search(`${q('mulberry')}&includeRetracted=true`), 200)).body.statements;
    expect(retracted).toMatchObject({ statementId: id, retracted: true });
  });

  it.each([
    ['text', (word: string) => q(word)],
    ['no text', () => ''],
  ])('pages (%s) neither repeat nor miss a statement while statements are written and corrected between pages', async (_name, query) => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const word = `pagingword${_name === 'text' ? 'a' : 'b'}`;
    const written: string[] = [];
    for (let i = 0; i < 23; i++) {
      const statedOn = `2025-02-${String(1 + (i % 5)).padStart(2, '0')}`;
      written.push((await say(service, person, 'tighten', statedOn, { summary: `${word} number ${i}${' extra'.repeat(i % 4)}` })).id);
    }
    const between = async (page: number) => {
      clock.advance(1000);
      await say(service, person, 'no-lifting', '2025-02-03', { summary: `${word} written between pages ${page}` });
      await ok(correct(service, written[page], { summary: `${word} corrected between pages ${page} with many more words` }));
    };
    const seen = await allPages(`${query(word)}&actorId=${person}&limit=5`, between);
    expect(seen.length).toBe(new Set(seen).size);
    expect([...seen].sort()).toEqual([...written].sort());
  });

  /** Appends `count` statements of `actor` straight to the log (faster than one request each); a command after it waits for the views. */
  async function bulkSay(actor: string, count: number, summary: (i: number) => string, extra: Record<string, unknown> = {}): Promise<string[]> {
    const store = service.app.get<EventStore>(EVENT_STORE);
    const ids = Array.from({ length: count }, () => randomUUID());
    const events = ids.map((statementId, i) => ({
      type: 'PositionStated',
      schemaVersion: 1,
      data: { statementId, stance: 'tighten', summary: summary(i), statedOn: `2024-0${1 + (i % 9)}-1${i % 10}`, source: { title: 'Bulk' }, ...extra },
    }));
    for (let from = 0; from < count; from += 500) {
      await store.append(`position-${actor}.${TOPIC}`, events.slice(from, from + 500), 'any', { recordedBy: 'system:test', correlationId: randomUUID(), causationId: null });
    }
    return ids;
  }

  it('pages exactly through more matches than one ranking window, with filters, while statements are written and corrected between pages', async () => {
    const [many, few] = [await freshPerson(service), await freshPerson(service)];
    clock.advance(1000);
    // The few's statements are recorded first: the many's 2,000 newer matches come before them, over three windows.
    const fewIds = await bulkSay(few, 7, (i) => `Windowword of the few ${i}`);
    const manyIds = await bulkSay(many, 3000, (i) => (i % 3 === 2 ? `Other ${i}` : `Windowword ${i}`));
    await say(service, few, 'tighten', '2025-02-01', { summary: 'Unrelated, after the bulk' });
    const fewMore: string[] = [];
    let round = 0;
    const between = async () => {
      round++;
      clock.advance(1000);
      fewMore.push((await say(service, few, 'no-lifting', '2025-02-03', { summary: `Windowword written between pages ${round}` })).id);
      // A match corrected stays found once (as known at the first page); a statement corrected into a match is not found.
      await ok(correct(service, manyIds[round * 3], { summary: `windowword corrected between pages ${round}` }));
      await ok(correct(service, manyIds[round * 3 + 2], { summary: `windowword now ${round}` }));
      await ok(correct(service, fewIds[round % 7], { summary: `windowword of the few corrected between pages ${round}` }));
    };
    const all = await allPages(`${q('windowword')}&limit=200`, between);
    expect(round).toBeGreaterThan(9);
    expect(all.length).toBe(new Set(all).size);
    expect([...all].sort()).toEqual([...fewIds, ...manyIds.filter((_, i) => i % 3 !== 2)].sort());
    const known = [...fewMore];
    const ofFew = await allPages(`${q('windowword')}&actorId=${few}&limit=3`, between);
    expect(ofFew.length).toBe(new Set(ofFew).size);
    expect([...ofFew].sort()).toEqual([...fewIds, ...known].sort());
  }, 120_000);

  it('ends pages before about 1 MB of JSON, counted in bytes: statements in a script of three bytes a character', async () => {
    const person = await freshPerson(service);
    // 60 statements of about 21 KB each (7,000 characters of three bytes): 1.26 MB, more than one page.
    const written = await bulkSay(person, 60, (i) => `Bytesword ${i} ${'€'.repeat(1980)}`, { quote: '€'.repeat(5000) });
    await say(service, person, 'tighten', '2025-02-01', { summary: 'Unrelated, after the bulk' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: { body: { statements: { statementId: string }[]; next: string | null } } = await ok(search(`${q('bytesword')}&limit=200${cursor ? `&cursor=${cursor}` : ''}`), 200);
      expect(Buffer.byteLength(JSON.stringify(answer.body))).toBeLessThanOrEqual(1_050_000);
      expect(answer.body.statements.length).toBeGreaterThan(0);
      seen.push(...answer.body.statements.map((s) => s.statementId));
      cursor = answer.body.next;
    } while (cursor !== null);
    expect([...seen].sort()).toEqual([...written].sort());
  }, 60_000);

  it('ranks best match first within each window of matches: every word in the summary before a word in the quote', async () => {
    const person = await freshPerson(service);
    clock.advance(1000);
    const inQuote = await say(service, person, 'tighten', '2025-02-25', { summary: 'Nothing here', quote: 'rankword' });
    const inSummary = await say(service, person, 'tighten', '2025-02-01', { summary: 'Rankword here' });
    const first = (await ok(search(`${q('rankword')}&limit=1`), 200)).body;
    expect(first.statements.map((s: { statementId: string }) => s.statementId)).toEqual([inSummary.id]);
    expect((await ok(search(`${q('rankword')}&limit=1&cursor=${first.next}`), 200)).body.statements.map((s: { statementId: string }) => s.statementId)).toEqual([inQuote.id]);
  });

  it('refuses bad input with 400 naming the field, and unknown actors and topics with 404; FTS operators are plain words', async () => {
    expectError(await search(q('"unbalanced phrase')), 400, 'q');
    expectError(await search(q('***')), 400, 'q');
    expectError(await search('q='), 400, 'q');
    expectError(await search('limit=0'), 400, 'limit');
    expectError(await search('limit=201'), 400, 'limit');
    expectError(await search('limit=1e2'), 400, 'limit');
    expectError(await search('cursor=bm90LWEtY3Vyc29y'), 400, 'cursor');
    expectError(await search('cursor=***'), 400, 'cursor');
    expectError(await search('from=2025-02-30'), 400, 'from');
    expectError(await search('from=2025-03-01&to=2025-02-01'), 400, 'from');
    expectError(await search('knownAt=yesterday'), 400, 'knownAt');
    expectError(await search('includeRetracted=yes'), 400, 'includeRetracted');
    expectError(await search('colour=red'), 400);
    expectError(await search('actorId=nobody-here'), 404, 'actorId');
    expectError(await search('topicId=no-such-topic'), 404, 'topicId');
    for (const text of ['NEAR(a b)', 'a AND OR NOT b', 'summary:x', '^start', 'a + b - c', '(x', "don't", 'x"y"z', '-*']) {
      const answer = await search(q(text));
      expect({ text, status: answer.status }).toEqual({ text, status: text === '-*' ? 400 : 200 });
    }
  });

  it('refuses a cursor given with another search', async () => {
    const person = await freshPerson(service);
    for (let i = 0; i < 3; i++) await say(service, person, 'tighten', '2025-02-05', { summary: `Cursorword ${i}` });
    const first = (await ok(search(`${q('cursorword')}&limit=1`), 200)).body;
    expect(first.next).toEqual(expect.any(String));
    expectError(await search(`${q('other')}&limit=1&cursor=${first.next}`), 400, 'cursor');
    expect((await ok(search(`${q('cursorword')}&limit=1&cursor=${first.next}`), 200)).body.statements).toHaveLength(1);
  });
});
