import { startService, type TestService } from './support/app-harness';

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
});
