import { statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { etagPosition, expectError, expectNothingWritten, freshPerson, ok, positionOf, seedWorld, TOPIC } from './support/world';

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RUBIO: [string, string][] = [['marco-rubio', TOPIC]];

describe('statements: POST /api/statements', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
  });
  afterAll(() => service.close());

  it('records a statement: 201 {statementId, actorId, topicId, recordedAt, position}, and a position query sees it at once', async () => {
    const before = Date.now();
    const answer = await service.post('/api/statements', statementBody());
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body).sort()).toEqual(['actorId', 'position', 'recordedAt', 'statementId', 'topicId']);
    expect(answer.body).toEqual({ statementId: expect.any(String), actorId: 'marco-rubio', topicId: TOPIC, recordedAt: expect.stringMatching(ISO_UTC_MS), position: expect.any(Number) });
    expect(Number.isInteger(answer.body.position) && answer.body.position > 0).toBe(true);
    expect(Date.parse(answer.body.recordedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(answer.body.recordedAt)).toBeLessThanOrEqual(Date.now());

    const position = await positionOf(service, 'marco-rubio', 'at=2025-02-18');
    expect(position.body.statement.statementId).toBe(answer.body.statementId);
    expect(position.body.stance.code).toBe('concessions-needed');
  });

  it('gives each statement its own id and a greater log position', async () => {
    const first = await ok(service.post('/api/statements', statementBody({ statedOn: '2025-02-19' })));
    const second = await ok(service.post('/api/statements', statementBody({ statedOn: '2025-02-20' })));
    expect(second.body.statementId).not.toBe(first.body.statementId);
    expect(second.body.position).toBeGreaterThan(first.body.position);
  });

  it('records a statement made on behalf of an organization the speaker is affiliated with that day', async () => {
    const answer = await ok(service.post('/api/statements', statementBody({ onBehalfOf: 'us-government', statedOn: '2025-01-21' })));
    expect(answer.body.actorId).toBe('marco-rubio');
  });

  it('takes both ends of an affiliation as inclusive days for onBehalfOf', async () => {
    const actor = await freshPerson(service);
    await ok(service.post(`/api/actors/${actor}/affiliations`, { organizationId: 'us-government', role: 'Envoy', from: '2025-01-20', until: '2025-01-31' }));
    const onBehalf = (statedOn: string) => service.post('/api/statements', statementBody({ actorId: actor, onBehalfOf: 'us-government', statedOn }));
    expect((await onBehalf('2025-01-20')).status).toBe(201);
    expect((await onBehalf('2025-01-31T23:59:59Z')).status).toBe(201);
    expectError(await onBehalf('2025-01-19T23:59:59Z'), 422, 'onBehalfOf');
    expectError(await onBehalf('2025-02-01'), 422, 'onBehalfOf');
  });

  describe('If-Match on the actor–topic stream', () => {
    it('-1 on a new stream succeeds, and the ETag carries the new stream position', async () => {
      const actor = await freshPerson(service);
      const first = await service.post('/api/statements', statementBody({ actorId: actor }), 'recorder', { 'if-match': '-1' });
      expect(first.status).toBe(201);
      expect(etagPosition(first)).toBe(0);
      const second = await service.post('/api/statements', statementBody({ actorId: actor, stance: 'tighten' }), 'recorder', { 'if-match': String(etagPosition(first)) });
      expect(second.status).toBe(201);
      expect(etagPosition(second)).toBe(1);
      // The ETag value itself, sent back verbatim, is a valid If-Match.
      const third = await service.post('/api/statements', statementBody({ actorId: actor, stance: 'not-yet' }), 'recorder', { 'if-match': String(second.headers.etag) });
      expect(third.status).toBe(201);
      expect(etagPosition(third)).toBe(2);
    });

    it('a stale value is 412 and writes nothing: the stream still holds at the position the client last saw', async () => {
      const actor = await freshPerson(service);
      const first = await ok(service.post('/api/statements', statementBody({ actorId: actor, stance: 'tighten' })));
      expect(etagPosition(first)).toBe(0);
      await expectNothingWritten(service, async () => {
        expectError(await service.post('/api/statements', statementBody({ actorId: actor, stance: 'not-yet' }), 'recorder', { 'if-match': '-1' }), 412);
        expectError(await service.post('/api/statements', statementBody({ actorId: actor, stance: 'not-yet' }), 'recorder', { 'if-match': '5' }), 412);
      }, [[actor, TOPIC]]);
      expect((await positionOf(service, actor)).body.stance.code).toBe('tighten');
      const next = await service.post('/api/statements', statementBody({ actorId: actor, stance: 'not-yet' }), 'recorder', { 'if-match': '0' });
      expect(next.status).toBe(201);
      expect(etagPosition(next)).toBe(1);
    });

    it('a value that is no stream position is 400', async () => {
      await expectNothingWritten(service, async () => {
        expectError(await service.post('/api/statements', statementBody(), 'recorder', { 'if-match': 'abc' }), 400);
      }, RUBIO);
    });
  });

  describe('refusals, each writing nothing', () => {
    const refuses = async (body: unknown, status: number, field?: string) =>
      expectNothingWritten(service, async () => expectError(await service.post('/api/statements', body), status, field), RUBIO);

    it('404 for an unknown actor, topic or onBehalfOf in the body', async () => {
      await refuses(statementBody({ actorId: 'nobody-here' }), 404, 'actorId');
      await refuses(statementBody({ topicId: 'no-such-topic' }), 404, 'topicId');
      await refuses(statementBody({ onBehalfOf: 'no-such-org' }), 404, 'onBehalfOf');
    });

    it('422 for a stance not in the codebook', async () => {
      await refuses(statementBody({ stance: 'abolish' }), 422, 'stance');
    });

    it('422 for statedOn in the future (a date, and a date-time a minute ahead)', async () => {
      await refuses(statementBody({ statedOn: '2999-01-01' }), 422, 'statedOn');
      const inAMinute = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      await refuses(statementBody({ statedOn: inAMinute }), 422, 'statedOn');
    });

    it('422 for onBehalfOf without an affiliation on that date', async () => {
      // Rubio is Secretary of State from 2025-01-21: the day before is not covered.
      await refuses(statementBody({ onBehalfOf: 'us-government', statedOn: '2025-01-20' }), 422, 'onBehalfOf');
      // Trump is registered but has no affiliation at all.
      await refuses(statementBody({ actorId: 'donald-trump', onBehalfOf: 'us-government' }), 422, 'onBehalfOf');
    });

    it.each([
      ['a missing summary', { summary: undefined }, 'summary'],
      ['a missing source', { source: undefined }, 'source'],
      ['a missing statedOn', { statedOn: undefined }, 'statedOn'],
      ['an unknown field', { mood: 'angry' }, 'mood'],
      ['an unknown field in the source', { source: { title: 'T', pages: 3 } }, 'source.pages'],
      ['a source that is a string', { source: 'the news' }, 'source'],
      ['a stance that is a number', { stance: 1 }, 'stance'],
      ['a malformed actorId', { actorId: 'Marco Rubio' }, 'actorId'],
      ['a malformed topicId', { topicId: 'russia_sanctions' }, 'topicId'],
      ['a malformed onBehalfOf', { onBehalfOf: 'US-Government' }, 'onBehalfOf'],
      ['statedOn 2025-02-30', { statedOn: '2025-02-30' }, 'statedOn'],
      ['statedOn as a date-time without an offset', { statedOn: '2025-02-18T10:00:00' }, 'statedOn'],
      ['statedOn as a date-time without seconds', { statedOn: '2025-02-18T10:00Z' }, 'statedOn'],
      ['a publishedOn that is no date', { source: { title: 'T', publishedOn: '26/02/2025' } }, 'source.publishedOn'],
      ['an ftp:// url', { source: { url: 'ftp://example.org/report' } }, 'source.url'],
      ['a javascript: url', { source: { url: 'javascript:alert(1)' } }, 'source.url'],
      ['a url of 2049 characters', { source: { url: `https://example.org/${'a'.repeat(2049 - 20)}` } }, 'source.url'],
      ['a source with neither url nor title', { source: { publisher: 'Example News', publishedOn: '2025-02-26' } }, 'source'],
      ['an empty source', { source: {} }, 'source'],
      ['a summary of 2001 characters', { summary: 's'.repeat(2001) }, 'summary'],
      ['a quote of 5001 characters', { quote: 'q'.repeat(5001) }, 'quote'],
      ['an empty quote', { quote: '' }, 'quote'],
      ['a publisher of 201 characters', { source: { title: 'T', publisher: 'p'.repeat(201) } }, 'source.publisher'],
    ])('400 for %s', async (_, overrides, field) => {
      await refuses({ ...statementBody(), ...overrides }, 400, field);
    });
  });

  it('accepts the bounds: summary 2000, quote 5000, a url of 2048 characters, a source with only a url', async () => {
    const url = `https://example.org/${'a'.repeat(2048 - 20)}`;
    expect(url).toHaveLength(2048);
    await ok(service.post('/api/statements', statementBody({ summary: 's'.repeat(2000), quote: 'q'.repeat(5000), source: { url } })));
    await ok(service.post('/api/statements', statementBody({ source: { url: 'http://example.org' } })));
  });
});
