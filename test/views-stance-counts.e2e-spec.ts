import { sanctionsReliefBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, ok, say, TOPIC } from './support/world';

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
    expect(body.days).toEqual([
      { date: '2025-02-17', counts: counts() },
      { date: '2025-02-18', counts: counts(rubio) },
      { date: '2025-02-19', counts: counts(rubio) },
      { date: '2025-02-20', counts: counts(plusDombrovskis) },
      { date: '2025-02-21', counts: counts(plusDombrovskis) },
      { date: '2025-02-22', counts: counts(plusDombrovskis) },
      { date: '2025-02-23', counts: counts(plusDombrovskis) },
      { date: '2025-02-24', counts: counts(plusEu) },
      { date: '2025-02-25', counts: counts(plusEu) },
      { date: '2025-02-26', counts: counts({ ...plusEu, 'not-yet': 1, 'lift-unconditionally': 1 }) },
    ]);
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

  it('answers up to 366 days, and 400 beyond', async () => {
    const year = await stanceCounts('from=2024-01-01&to=2024-12-31');
    expect(year.status).toBe(200);
    expect(year.body.days).toHaveLength(366);
    expectError(await stanceCounts('from=2024-01-01&to=2025-01-01'), 400, 'to');
    expectError(await stanceCounts('from=2020-01-01&to=2025-01-01'), 400, 'to');
  });

  it('refuses a missing or malformed from or to, to before from, and an unknown topic', async () => {
    expectError(await stanceCounts('to=2025-02-26'), 400, 'from');
    expectError(await stanceCounts('from=2025-02-26'), 400, 'to');
    expectError(await stanceCounts('from=2025-02-26&to=2025-02-19'), 400, 'to');
    expectError(await stanceCounts('from=2025-02-30&to=2025-03-02'), 400, 'from');
    expectError(await stanceCounts('from=2025-02-19T00:00:00Z&to=2025-02-26'), 400, 'from');
    expectError(await stanceCounts('from=2025-02-19&to=2025-02-26', 'no-such-topic'), 404);
  });
});
