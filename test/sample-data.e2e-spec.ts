import { startService, type TestService } from './support/app-harness';
import { wholeLog } from './support/world';

describe('the sample data set (the seed article of 2025-02-26)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => service.close());

  const position = (actor: string, at: string) => service.get(`/api/actors/${actor}/positions/russia-sanctions-relief?at=${at}`);

  it('answers that Trump on 2025-02-26 is not-yet, citing his statement', async () => {
    const { status, body } = await position('donald-trump', '2025-02-26');
    expect(status).toBe(200);
    expect(body.stance).toEqual({ code: 'not-yet', label: 'Nothing lifted for now; may be lifted at some point', score: 0 });
    expect(body.since).toBe('2025-02-26');
    expect(body.statement).toMatchObject({ statedOn: '2025-02-26', quote: expect.stringContaining("haven't lifted any sanctions") });
  });

  it('answers that Dombrovskis on 2025-02-19 has no known position (200 with nulls)', async () => {
    const { status, body } = await position('valdis-dombrovskis', '2025-02-19');
    expect(status).toBe(200);
    expect(body).toMatchObject({ stance: null, since: null, statement: null });
  });

  it('answers that the EU on 2025-02-25 is tighten, since "earlier this week" (2025-02-24/2025-02-25)', async () => {
    const { body } = await position('european-union', '2025-02-25');
    expect(body.stance.code).toBe('tighten');
    expect(body.since).toBe('2025-02-24/2025-02-25');
    expect(body.statement).toMatchObject({ statedOnWording: 'earlier this week', earliest: '2025-02-24T00:00:00.000Z', latest: '2025-02-25T00:00:00.000Z' });
  });

  it("answers that the US government's voice on 2025-02-19 is uncertain: possibly Rubio's concessions-needed of 'last week'", async () => {
    const { body } = await service.get('/api/actors/us-government/voice/russia-sanctions-relief?at=2025-02-19');
    expect(body).toMatchObject({ stance: null, statement: null, certainty: 'uncertain', alternatives: [{ stance: { code: 'concessions-needed', score: 1 } }] });
    expect((await position('marco-rubio', '2025-02-23')).body).toMatchObject({ stance: { code: 'concessions-needed' }, since: '2025-02-17/2025-02-23', certainty: 'certain' });
  });

  it('is ready and lists the article actors and topics', async () => {
    expect((await service.get('/health', null)).status).toBe(200);
    const actors = await service.get('/api/actors');
    expect(actors.body.map((a: { id: string }) => a.id)).toEqual([
      'donald-trump', 'european-union', 'marco-rubio', 'russian-government', 'us-government', 'valdis-dombrovskis', 'vladimir-putin',
    ]);
    const rubio = await service.get('/api/actors/marco-rubio');
    expect(rubio.body.affiliations).toEqual([{ organizationId: 'us-government', role: 'Secretary of State', from: '2025-01-21', until: null, speaksFor: true }]);
  });

  describe("the record's life: recorded over days, with a correction and a retraction", () => {
    const at = (actor: string, day: string, knownAt?: string) =>
      service.get(`/api/actors/${actor}/positions/russia-sanctions-relief?at=${day}${knownAt ? `&knownAt=${knownAt}` : ''}`);

    it('was recorded at the demo\'s own moments over three days, by system:demo, each statement with a source link', async () => {
      const log = await wholeLog(service);
      const days = new Set(log.map((e: { recordedAt: string }) => e.recordedAt.slice(0, 10)));
      expect([...days]).toEqual(['2025-02-26', '2025-02-27', '2025-02-28']);
      expect(new Set(log.map((e: { recordedBy: string }) => e.recordedBy))).toEqual(new Set(['system:demo']));
      const stated = log.filter((e: { type: string }) => e.type === 'PositionStated');
      expect(stated.length).toBeGreaterThan(0);
      for (const event of stated) expect(event.data.source.url).toMatch(/^https:\/\/example\.org\//);
    });

    it('holds one correction and one retraction, each with its reason', async () => {
      const amended = (await service.get('/api/events?type=StatementCorrected,StatementRetracted')).body.events;
      expect(amended.map((e: { type: string }) => e.type).sort()).toEqual(['StatementCorrected', 'StatementRetracted']);
      for (const event of amended) expect(event.data.reason).toMatch(/^\S+( \S+){5,}/);
    });

    it('answers differently as known at moments between the records', async () => {
      // Rubio's remark was recorded at 14:10 on the 26th, Trump's at 17:30.
      expect((await at('marco-rubio', '2025-02-26', '2025-02-26T15:00:00Z')).body.stance.code).toBe('concessions-needed');
      expect((await at('donald-trump', '2025-02-26', '2025-02-26T15:00:00Z')).body).toMatchObject({ stance: null, statement: null });
      expect((await at('donald-trump', '2025-02-26', '2025-02-26T18:00:00Z')).body.stance.code).toBe('not-yet');
      // The EU's remark, first recorded to the day, then corrected to the article's "earlier this week".
      const before = (await at('european-union', '2025-02-24', '2025-02-27T12:00:00Z')).body;
      expect(before).toMatchObject({ stance: { code: 'tighten' }, certainty: 'certain', statement: { statedOn: '2025-02-24' } });
      const now = (await at('european-union', '2025-02-24')).body;
      expect(now).toMatchObject({ stance: null, certainty: 'uncertain', alternatives: [{ stance: { code: 'tighten' } }] });
      // A statement recorded for Putin by mistake, then retracted: his position falls back to his own.
      const effect = (knownAt = '') => service.get(`/api/actors/vladimir-putin/positions/russia-sanctions-effect?at=2025-02-26${knownAt && `&knownAt=${knownAt}`}`);
      expect((await effect('2025-02-27T12:00:00Z')).body.stance.code).toBe('backfired');
      expect((await effect()).body.stance.code).toBe('strengthened');
    });
  });
});
