import { actorBody, affiliationBody, sanctionsReliefBody, statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, seedWorld, TOPIC } from './support/world';

const PAIRS: [string, string][] = [['marco-rubio', TOPIC]];
const KIB_64 = 64 * 1024;

/** Every command route there is today, with a body it would accept. */
const COMMANDS: [string, unknown][] = [
  ['/api/actors', actorBody('putin')],
  ['/api/actors/marco-rubio/affiliations', affiliationBody('rubio', { role: 'Envoy' })],
  ['/api/actors/marco-rubio/affiliations/end', { organizationId: 'us-government', role: 'Secretary of State', until: '2029-01-20' }],
  ['/api/topics', sanctionsReliefBody({ id: 'other-topic' })],
  [`/api/topics/${TOPIC}/stances`, { code: 'freeze', label: 'Freeze', score: 0 }],
  ['/api/statements', statementBody()],
];

/** A JSON object of exactly `bytes` bytes: an actor whose name is padded. */
function bodyOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ id: 'big-actor', name: '', kind: 'person' });
  return JSON.stringify({ id: 'big-actor', name: 'x'.repeat(bytes - Buffer.byteLength(skeleton)), kind: 'person' });
}

describe('errors: one shape for every refusal, and nothing written', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
  });
  afterAll(() => service.close());

  describe.each(COMMANDS.map(([url]) => [url]))('POST %s', (url) => {
    it.each([
      ['malformed JSON', '{"id": "x",'],
      ['a JSON array', '[]'],
      ['a JSON string', '"marco-rubio"'],
      ['JSON null', 'null'],
      ['a JSON number', '42'],
      ['an empty body', ''],
    ])('answers 400 to %s', async (_, raw) => {
      await expectNothingWritten(service, async () => expectError(await service.post(url, raw), 400), PAIRS);
    });

    it('answers 413 to a body over 64 KiB', async () => {
      await expectNothingWritten(service, async () => expectError(await service.post(url, bodyOfSize(KIB_64 + 1)), 413), PAIRS);
    });
  });

  it('reads a body of exactly 64 KiB (refused for its content, 400, not for its size)', async () => {
    const raw = bodyOfSize(KIB_64);
    expect(Buffer.byteLength(raw)).toBe(KIB_64);
    expectError(await service.post('/api/actors', raw), 400, 'name');
  });

  it('refuses a body in another media type in the error shape (415), writing nothing', async () => {
    await expectNothingWritten(service, async () => {
      const answer = await service.post('/api/actors', JSON.stringify(actorBody('putin')), 'recorder', { 'content-type': 'text/plain' });
      expectError(answer, 415);
    }, PAIRS);
  });

  it('lists every field problem in details while message stays one string', async () => {
    const answer = await service.post('/api/actors', { id: 'Bad Id', name: '', kind: 'party', extra: true });
    expectError(answer, 400);
    expect(answer.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['id', 'name', 'kind', 'extra']));
  });

  it('answers 404 in the error shape for an unknown route', async () => {
    expectError(await service.get('/api/nothing-here'), 404);
    expectError(await service.post('/api/nothing-here', {}), 404);
    expectError(await service.get('/api/actors/marco-rubio/nothing-here'), 404);
  });

  it('answers 404 in the error shape for ids that name nothing, in the path and in the body', async () => {
    await expectNothingWritten(service, async () => {
      expectError(await service.get('/api/actors/nobody-here'), 404);
      expectError(await service.get('/api/topics/nothing-here'), 404);
      expectError(await service.post('/api/topics/nothing-here/stances', { code: 'x', label: 'X', score: 0 }), 404);
      expectError(await service.post('/api/statements', statementBody({ topicId: 'nothing-here' })), 404, 'topicId');
    }, PAIRS);
  });

  it.each([['/api/actors?limit=1e3'], ['/api/actors?foo=1'], ['/api/actors/marco-rubio?at=2025-02-26'], ['/api/topics?foo=1'], [`/api/topics/${TOPIC}?x=1`]])(
    'answers 400 to an unknown query parameter: GET %s',
    async (url) => {
      expectError(await service.get(url), 400);
    },
  );
});

describe('errors: 429 over RATE_LIMIT', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService({ env: { RATE_LIMIT: '3' } });
  });
  afterAll(() => service.close());

  it('answers 429 with Retry-After to the request over the limit of one key', async () => {
    for (let i = 0; i < 3; i++) expect((await service.get('/api/actors', 'reader')).status).toBe(200);
    const over = await service.get('/api/actors', 'reader');
    expectError(over, 429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });
});
