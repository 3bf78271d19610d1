import { startService, type TestService } from './support/app-harness';
import { correct, expectError, freshPerson, movableClock, ok, say, TOPIC } from './support/world';

/* GET /api/topics/{t}/panel: actor × period positions, CSV or JSON, each cell what positionAt answers at the period's end. */

const COLUMNS = 'actorId,period,stance,score,certainty,statementId';
type Row = { actorId: string; period: string; stance: string | null; score: number | null; certainty: string | null; statementId: string | null };

function parseCsv(text: string): Row[] {
  const [header, ...lines] = text.split('\r\n');
  expect(header).toBe(COLUMNS);
  expect(lines.pop()).toBe('');
  return lines.map((line) => {
    const [actorId, period, stance, score, certainty, statementId] = line.split(',');
    return { actorId, period, stance: stance || null, score: score === '' ? null : Number(score), certainty: certainty || null, statementId: statementId || null };
  });
}

describe('GET /api/topics/{t}/panel', () => {
  const clock = movableClock('2025-03-01T12:00:00Z');
  let service: TestService;
  const panel = (query: string) => service.get(`/api/topics/${TOPIC}/panel?${query}`);

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' }, clock: clock.now });
    clock.set('2025-03-05T12:00:00Z');
  });
  afterAll(() => service.close());

  /** Each row's stance and statement are those of GET /positions at the period's last day (as known at `knownAt`). */
  async function expectPositionAt(rows: Row[], lastDayOf: (period: string) => string, knownAt = '') {
    for (const row of rows) {
      const position = (await ok(service.get(`/api/actors/${row.actorId}/positions/${TOPIC}?at=${lastDayOf(row.period)}${knownAt && `&knownAt=${knownAt}`}`), 200)).body;
      expect({ row: `${row.actorId} ${row.period}`, stance: row.stance, score: row.score, statementId: row.statementId }).toEqual({
        row: `${row.actorId} ${row.period}`,
        stance: position.stance?.code ?? null,
        score: position.stance?.score ?? null,
        statementId: position.statement?.statementId ?? null,
      });
      expect(row.certainty).toBe(position.certainty);
    }
  }

  it('answers CSV by month by default: a header, an attachment, one row per speaking actor and month, each the position at the month end', async () => {
    const answer = await panel('from=2025-01-15&to=2025-03-02');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
    const rows = parseCsv(answer.body as string);
    const actors = ['donald-trump', 'european-union', 'marco-rubio', 'russian-government', 'valdis-dombrovskis'];
    expect(rows.map((r) => `${r.actorId} ${r.period}`)).toEqual(actors.flatMap((a) => [`${a} 2025-01`, `${a} 2025-02`, `${a} 2025-03`]));
    const monthEnd: Record<string, string> = { '2025-01': '2025-01-31', '2025-02': '2025-02-28', '2025-03': '2025-03-31' };
    await expectPositionAt(rows, (p) => monthEnd[p]);
    expect(rows.find((r) => r.actorId === 'marco-rubio' && r.period === '2025-02')).toMatchObject({ stance: 'concessions-needed', score: 1 });
  });

  it('answers by day and by ISO week, and as known at knownAt (a correction after it not applied)', async () => {
    const person = await freshPerson(service);
    const { id } = await say(service, person, 'tighten', '2025-02-19');
    const before = clock.advance(60_000);
    clock.advance(60_000);
    await ok(correct(service, id, { stance: 'no-lifting', statedOn: '2025-02-17' }));
    const days = parseCsv((await ok(panel('from=2025-02-16&to=2025-02-20&step=day'), 200)).body).filter((r) => r.actorId === person);
    expect(days.map((r) => `${r.period} ${r.stance}`)).toEqual(['2025-02-16 null', '2025-02-17 no-lifting', '2025-02-18 no-lifting', '2025-02-19 no-lifting', '2025-02-20 no-lifting']);
    await expectPositionAt(days, (p) => p);
    const then = parseCsv((await ok(panel(`from=2025-02-16&to=2025-02-20&step=day&knownAt=${before}`), 200)).body).filter((r) => r.actorId === person);
    expect(then.map((r) => `${r.period} ${r.stance}`)).toEqual(['2025-02-16 null', '2025-02-17 null', '2025-02-18 null', '2025-02-19 tighten', '2025-02-20 tighten']);
    await expectPositionAt(then, (p) => p, before);
    const weeks = parseCsv((await ok(panel('from=2024-12-30&to=2025-02-23&step=week'), 200)).body).filter((r) => r.actorId === 'marco-rubio');
    expect(weeks.map((r) => r.period)).toEqual(['2025-W01', '2025-W02', '2025-W03', '2025-W04', '2025-W05', '2025-W06', '2025-W07', '2025-W08']);
    const sunday: Record<string, string> = { '2025-W07': '2025-02-16', '2025-W08': '2025-02-23' };
    await expectPositionAt(weeks.filter((r) => sunday[r.period]), (p) => sunday[p]);
  });

  it('answers JSON with the same rows, and years', async () => {
    const csv = parseCsv((await ok(panel('from=2024-06-01&to=2025-03-01&step=year'), 200)).body);
    const json = await ok(panel('from=2024-06-01&to=2025-03-01&step=year&format=json'), 200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toMatchObject({ topicId: TOPIC, from: '2024-06-01', to: '2025-03-01', step: 'year', rowCount: csv.length });
    expect(json.body.rows).toEqual(csv);
    expect(new Set(csv.map((r) => r.period))).toEqual(new Set(['2024', '2025']));
  });

  it('refuses more than 1,000,000 rows with 400 asking for a narrower range, and bad parameters', async () => {
    const tooMany = await panel('from=0001-01-01&to=9999-12-31&step=day');
    expectError(tooMany, 400, 'from');
    expect(tooMany.body.message).toMatch(/narrower/);
    expectError(await panel('to=2025-03-01'), 400, 'from');
    expectError(await panel('from=2025-03-01&to=2025-02-01'), 400, 'from');
    expectError(await panel('from=2025-01-01&to=2025-03-01&step=quarter'), 400, 'step');
    expectError(await panel('from=2025-01-01&to=2025-03-01&format=xml'), 400, 'format');
    expectError(await panel('from=2025-01-01&to=2025-03-01&knownAt=later'), 400, 'knownAt');
    expectError(await service.get('/api/topics/no-such-topic/panel?from=2025-01-01&to=2025-03-01'), 404, 'topicId');
  });
});
