import { sanctionsReliefBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, ok, say, TOPIC } from './support/world';

/* GET /api/topics/{t}/stance-counts: how many actors held each stance at the end of each day (a view built by replay). */

const CODES = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];
const counts = (held: Record<string, number> = {}) => Object.fromEntries(CODES.map((c) => [c, held[c] ?? 0]));

describe('GET /api/topics/{t}/stance-counts', () => {
  let service: TestService;
  const stanceCounts = (query: string, topic = TOPIC) => service.get(`/api/topics/${topic}/stance-counts?${query}`);

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => service.close());

  it('counts the seed article day by day, every code of the codebook included, zeros too', async () => {
    const { status, body } = await stanceCounts('from=2025-02-17&to=2025-02-26');
    expect(status).toBe(200);
    expect(body).toMatchObject({ topicId: TOPIC, from: '2025-02-17', to: '2025-02-26' });
    const rubio = { 'concessions-needed': 1 };
    const plusDombrovskis = { ...rubio, 'no-lifting': 1 };
    const plusEu = { ...plusDombrovskis, tighten: 1 };
    // Rubio and Dombrovskis spoke 'last week' (2025-02-17/2025-02-23), the EU 'earlier this week' (2025-02-24/2025-02-25):
    // each counts from the last day of its range (the first day it is certainly made).
    expect(body.days).toEqual([
      { date: '2025-02-17', counts: counts() },
      { date: '2025-02-18', counts: counts() },
      { date: '2025-02-19', counts: counts() },
      { date: '2025-02-20', counts: counts() },
      { date: '2025-02-21', counts: counts() },
      { date: '2025-02-22', counts: counts() },
      { date: '2025-02-23', counts: counts(plusDombrovskis) },
      { date: '2025-02-24', counts: counts(plusDombrovskis) },
      { date: '2025-02-25', counts: counts(plusEu) },
      { date: '2025-02-26', counts: counts({ ...plusEu, 'not-yet': 1, 'lift-unconditionally': 1 }) },
    ]);
  });

  it('is served as JSON of the documented shape, with its length, as any other answer', async () => {
    // The days are written as bytes straight from the view's runs (decision 0039), not by the framework's serialiser.
    const { status, body, headers } = await stanceCounts('from=2025-02-24&to=2025-02-26&limit=2');
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(body)).toEqual(['topicId', 'from', 'to', 'days', 'next']);
    expect(Number(headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(body.days.map((d: { date: string }) => d.date)).toEqual(['2025-02-24', '2025-02-25']);
    expect(typeof body.next).toBe('string');
  });

  it('counts one actor once a day, by its position at the end of the day, and follows corrections and retractions', async () => {
    await ok(service.post('/api/topics', sanctionsReliefBody({ id: 'counted-topic', title: 'Counted topic' })));
    await ok(service.post('/api/actors', { id: 'counted-person', name: 'Counted person', kind: 'person' }));
    const day = (query: string) => stanceCounts(query, 'counted-topic').then((a) => a.body.days.map((d: { date: string; counts: Record<string, number> }) => [d.date, Object.entries(d.counts).filter(([, n]) => n > 0)]));
    const morning = await say(service, 'counted-person', 'tighten', '2025-02-10T08:00:00Z', { topicId: 'counted-topic' });
    await say(service, 'counted-person', 'not-yet', '2025-02-10T18:00:00Z', { topicId: 'counted-topic' });
    expect(await day('from=2025-02-09&to=2025-02-11')).toEqual([
      ['2025-02-09', []],
      ['2025-02-10', [['not-yet', 1]]],
      ['2025-02-11', [['not-yet', 1]]],
    ]);

    // Moving the morning statement to the 12th, then changing its stance, then retracting it.
    const statementId = morning.id;
    await ok(service.post(`/api/statements/${statementId}/corrections`, { changes: { statedOn: '2025-02-12' }, reason: 'wrong day' }, 'editor'));
    expect(await day('from=2025-02-10&to=2025-02-12')).toEqual([
      ['2025-02-10', [['not-yet', 1]]],
      ['2025-02-11', [['not-yet', 1]]],
      ['2025-02-12', [['tighten', 1]]],
    ]);
    await ok(service.post(`/api/statements/${statementId}/corrections`, { changes: { stance: 'no-lifting' }, reason: 'misread' }, 'editor'));
    expect((await day('from=2025-02-12&to=2025-02-12'))[0]).toEqual(['2025-02-12', [['no-lifting', 1]]]);
    await ok(service.post(`/api/statements/${statementId}/retractions`, { reason: 'misattributed' }, 'editor'));
    expect((await day('from=2025-02-12&to=2025-02-12'))[0]).toEqual(['2025-02-12', [['not-yet', 1]]]);
  });

  it('answers up to 4000 days (ten years by day), and 400 beyond', async () => {
    const decade = await stanceCounts('from=2016-01-01&to=2025-12-31');
    expect(decade.status).toBe(200);
    expect(decade.body.days).toHaveLength(3653);
    expect(decade.body.days.at(-1).date).toBe('2025-12-31');
    expect(await stanceCounts('from=2014-01-01&to=2024-12-13')).toMatchObject({ status: 200 });
    expectError(await stanceCounts('from=2014-01-01&to=2024-12-14'), 400, 'to');
    expectError(await stanceCounts('from=1000-01-01&to=9999-12-31'), 400, 'to');
  });

  it('refuses a missing or malformed from or to, to before from, and an unknown topic', async () => {
    expectError(await stanceCounts('to=2025-02-26'), 400, 'from');
    expectError(await stanceCounts('from=2025-02-26'), 400, 'to');
    expectError(await stanceCounts('from=2025-02-26&to=2025-02-19'), 400, 'to');
    expectError(await stanceCounts('from=2025-02-30&to=2025-03-02'), 400, 'from');
    expectError(await stanceCounts('from=2025-02-19T00:00:00Z&to=2025-02-26'), 400, 'from');
    expectError(await stanceCounts('from=2025-02-19&to=2025-02-26', 'no-such-topic'), 404);
  });

  describe('pages of days', () => {
    // Twenty stances with the longest codes: ten years by day would be about 6 MB in one answer.
    const WIDE = 'twenty-long-codes';
    const code = (i: number) => `stance-${String(i).padStart(2, '0')}-${'c'.repeat(52)}`;

    /** Every page of a question, with `limit` when given; each page's length in bytes too. */
    async function walk(query: string, topic = WIDE) {
      const pages: { days: { date: string }[]; next: string | null; bytes: number }[] = [];
      for (let cursor: string | null = null; ; ) {
        const answer = await ok(stanceCounts(`${query}${cursor === null ? '' : `&cursor=${cursor}`}`, topic), 200);
        pages.push({ ...answer.body, bytes: Buffer.byteLength(JSON.stringify(answer.body)) });
        cursor = answer.body.next;
        if (cursor === null) return { pages, days: pages.flatMap((p) => p.days) };
      }
    }

    beforeAll(async () => {
      const stances = Array.from({ length: 20 }, (_, i) => ({ code: code(i), label: `Stance ${i}`, score: (i % 5) - 2 }));
      await ok(service.post('/api/topics', { id: WIDE, title: 'Twenty stances', proposition: 'Codebooks can be wide', stances }));
      await say(service, 'donald-trump', code(3), '2019-05-01', { topicId: WIDE });
    });

    it('answers ten years by day in pages under about 1 MB that together hold every day once, in order', async () => {
      const { pages, days } = await walk('from=2016-01-01&to=2025-12-31');
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) expect(page.bytes).toBeLessThanOrEqual(1_001_000);
      expect(days).toHaveLength(3653);
      expect(days[0].date).toBe('2016-01-01');
      expect(days.at(-1)?.date).toBe('2025-12-31');
      expect(new Set(days.map((d) => d.date)).size).toBe(3653);
      // Each date is the calendar day after the one before it, month ends and leap days included.
      expect(days.filter((d, i) => i > 0 && Date.parse(d.date) - Date.parse(days[i - 1].date) !== 86_400_000)).toEqual([]);
      expect(days.map((d) => d.date)).toEqual(expect.arrayContaining(['2016-02-29', '2020-02-29', '2025-02-28', '2025-03-01']));
      expect((await walk('from=2016-01-01&to=2025-12-31&limit=365')).days).toEqual(days);
      expect(days.find((d) => d.date === '2019-05-01')).toMatchObject({ counts: { [code(3)]: 1, [code(4)]: 0 } });
    });

    it('answers a range of the seed topic in one page, and in pages of limit days with next', async () => {
      const whole = (await ok(stanceCounts('from=2025-02-17&to=2025-02-26', TOPIC), 200)).body;
      expect(whole.next).toBeNull();
      const { pages, days } = await walk('from=2025-02-17&to=2025-02-26&limit=3', TOPIC);
      expect(pages.map((p) => p.days.length)).toEqual([3, 3, 3, 1]);
      expect(days).toEqual(whole.days);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=4001', 'limit'],
      ['limit=1e3', 'limit'],
      ['cursor=***', 'cursor'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ])('refuses %s with 400 naming the field, writing nothing', async (query, field) => {
      expectError(await expectNothingWritten(service, () => stanceCounts(`from=2025-02-17&to=2025-02-26&${query}`, TOPIC)), 400, field);
    });

    it('refuses a cursor given with another range or topic', async () => {
      const { next } = (await ok(stanceCounts('from=2025-02-17&to=2025-02-26&limit=3', TOPIC), 200)).body;
      expectError(await stanceCounts(`from=2025-02-17&to=2025-02-27&limit=3&cursor=${next}`, TOPIC), 400, 'cursor');
      expectError(await stanceCounts(`from=2025-02-17&to=2025-02-26&limit=3&cursor=${next}`, WIDE), 400, 'cursor');
      expect((await ok(stanceCounts(`from=2025-02-17&to=2025-02-26&limit=3&cursor=${next}`, TOPIC), 200)).body.days[0].date).toBe('2025-02-20');
    });
  });
});
