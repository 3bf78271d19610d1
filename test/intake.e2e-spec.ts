import { StreamCommands } from '@positions/application';
import { ReadModels } from '@positions/projections';
import { INTAKE_ARTICLES, SEED_ARTICLE } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { PROCESS_TEST_MS } from './support/timeouts';
import { expectError, expectNothingWritten, ok, UTC_MS, UUID, wholeLog } from './support/world';

const TOPIC = 'russia-sanctions-relief';
const CANDIDATE_KEYS = ['candidateId', 'cues', 'quote', 'quoteSpan', 'speaker', 'stance', 'stanceConfidence', 'statedOn', 'statedOnWording', 'topicId'];
const article = (overrides: Record<string, unknown> = {}) => ({
  text: SEED_ARTICLE.text,
  url: 'https://example.org/news/2025-02-26-sanctions',
  title: 'US and allies weigh sanctions relief',
  publisher: 'Example News',
  publishedOn: SEED_ARTICLE.publishedOn,
  ...overrides,
});

// Each article is read in a worker thread that, under the tests, compiles the reading's TypeScript first: seconds on a busy machine.
jest.setTimeout(PROCESS_TEST_MS);

describe('from an article to statements (POST /api/intake)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' } });
  }, 60_000);
  afterAll(() => service.close());

  const take = async (body: Record<string, unknown> = article()) => (await ok(service.post('/api/intake', body))).body;
  const candidateOf = (draft: any, actorId: string, words: string) =>
    draft.candidates.find((c: any) => c.speaker.actorId === actorId && SEED_ARTICLE.text.slice(c.quoteSpan[0], c.quoteSpan[1]).includes(words));
  const statementsInLog = async () => (await wholeLog(service, 'type=PositionStated')).length;

  it('answers the seed report with candidates for Trump, Rubio, Dombrovskis and Putin, and records no statement', async () => {
    const before = await statementsInLog();
    const draft = await take();
    expect(Object.keys(draft).sort()).toEqual(['candidates', 'draftId', 'source']);
    expect(draft.draftId).toMatch(UUID);
    expect(draft.source).toEqual({ url: 'https://example.org/news/2025-02-26-sanctions', title: 'US and allies weigh sanctions relief', publisher: 'Example News', publishedOn: '2025-02-26' });
    for (const candidate of draft.candidates) expect(Object.keys(candidate).sort()).toEqual(CANDIDATE_KEYS);
    expect(candidateOf(draft, 'donald-trump', 'we haven’t lifted any sanctions')).toMatchObject({ statedOn: '2025-02-26', statedOnWording: null, topicId: TOPIC, stance: 'not-yet' });
    expect(candidateOf(draft, 'marco-rubio', 'there has to be concessions made by all sides')).toMatchObject({
      quote: 'there has to be concessions made by all sides',
      statedOn: '2025-02-17/2025-02-23',
      statedOnWording: 'last week',
      speaker: { actorId: 'marco-rubio', name: 'Marco Rubio' },
    });
    expect(candidateOf(draft, 'valdis-dombrovskis', 'no plans to lift')).toMatchObject({ quote: null, statedOn: '2025-02-17/2025-02-23' });
    expect(candidateOf(draft, 'vladimir-putin', 'stimulating role')).toMatchObject({ quote: 'stimulating role', statedOn: '2025-02-17/2025-02-23' });
    for (const { stanceConfidence } of draft.candidates) expect(stanceConfidence >= 0 && stanceConfidence <= 1).toBe(true);
    expect(await statementsInLog()).toBe(before);
  });

  it('shows the draft with its text and every candidate open', async () => {
    const draft = await take();
    const shown = await ok(service.get(`/api/intake/${draft.draftId}`), 200);
    expect(shown.body).toMatchObject({ draftId: draft.draftId, text: SEED_ARTICLE.text, source: draft.source, topicId: null });
    expect(shown.body.candidates.map((c: any) => c.state)).toEqual(draft.candidates.map(() => 'open'));
  });

  it('accepts a candidate through the statement rules: the statement keeps its provenance and the draft shows it accepted', async () => {
    const draft = await take();
    const rubio = candidateOf(draft, 'marco-rubio', 'there has to be concessions');
    const accepted = await ok(service.post(`/api/intake/${draft.draftId}/candidates/${rubio.candidateId}/accept`, { stance: 'concessions-needed' }));
    expect(accepted.body).toEqual({ statementId: expect.stringMatching(UUID), actorId: 'marco-rubio', topicId: TOPIC, recordedAt: expect.stringMatching(UTC_MS), position: expect.any(Number) });
    const statement = await ok(service.get(`/api/statements/${accepted.body.statementId}`), 200);
    expect(statement.body).toMatchObject({
      quote: 'there has to be concessions made by all sides',
      statedOn: '2025-02-17/2025-02-23',
      statedOnWording: 'last week',
      source: draft.source,
      intake: { draftId: draft.draftId, candidateId: rubio.candidateId, quoteSpan: rubio.quoteSpan },
    });
    const history = await ok(service.get(`/api/statements/${accepted.body.statementId}/history`), 200);
    expect(history.body.events[0].data.intake).toEqual({ draftId: draft.draftId, candidateId: rubio.candidateId, quoteSpan: rubio.quoteSpan });
    const shown = await ok(service.get(`/api/intake/${draft.draftId}`), 200);
    expect(shown.body.candidates.find((c: any) => c.candidateId === rubio.candidateId)).toMatchObject({ state: 'accepted', statementId: accepted.body.statementId });
  });

  it('refuses accepting twice (409), accepting or rejecting a rejected one (409), and writes nothing', async () => {
    const draft = await take();
    const [first, second] = draft.candidates;
    await ok(service.post(`/api/intake/${draft.draftId}/candidates/${first.candidateId}/accept`, { actorId: 'donald-trump', topicId: TOPIC, stance: 'not-yet' }));
    const again = await expectNothingWritten(service, () => service.post(`/api/intake/${draft.draftId}/candidates/${first.candidateId}/accept`, {}));
    expectError(again, 409, 'candidateId');
    const rejected = await ok(service.post(`/api/intake/${draft.draftId}/candidates/${second.candidateId}/reject`, { reason: 'a scare quote, not a position' }));
    expect(rejected.body).toEqual({ draftId: draft.draftId, candidateId: second.candidateId, state: 'rejected', reason: 'a scare quote, not a position', recordedAt: expect.stringMatching(UTC_MS), position: expect.any(Number) });
    expectError(await expectNothingWritten(service, () => service.post(`/api/intake/${draft.draftId}/candidates/${second.candidateId}/accept`, {})), 409);
    expectError(await expectNothingWritten(service, () => service.post(`/api/intake/${draft.draftId}/candidates/${second.candidateId}/reject`, { reason: 'again' })), 409);
    const shown = await ok(service.get(`/api/intake/${draft.draftId}`), 200);
    expect(shown.body.candidates[1]).toMatchObject({ state: 'rejected', reason: 'a scare quote, not a position' });
  });

  it('applies the statement rules on accepting: a stance not in the codebook is 422, no speaker is 400 naming actorId; nothing written, the candidate stays open', async () => {
    const draft = await take(article({ text: 'Protesters carried banners reading “Sanctions hurt ordinary people, not the oligarchs.”' }));
    const [nobody] = draft.candidates;
    expect(nobody.speaker).toEqual({ actorId: null, name: null, span: null });
    const url = `/api/intake/${draft.draftId}/candidates/${nobody.candidateId}/accept`;
    expectError(await expectNothingWritten(service, () => service.post(url, { topicId: TOPIC, stance: 'not-yet' })), 400, 'actorId');
    expectError(await expectNothingWritten(service, () => service.post(url, { actorId: 'donald-trump', topicId: TOPIC, stance: 'maybe' })), 422, 'stance');
    expectError(await expectNothingWritten(service, () => service.post(url, { actorId: 'donald-trump', topicId: TOPIC, stance: 'not-yet', statedOn: '2999-01-01' })), 422, 'statedOn');
    expectError(await expectNothingWritten(service, () => service.post(url, { actorId: 'nobody-registered', topicId: TOPIC, stance: 'not-yet' })), 404, 'actorId');
    expectError(await expectNothingWritten(service, () => service.post(url, { colour: 'red' })), 400, 'colour');
    expect((await ok(service.get(`/api/intake/${draft.draftId}`), 200)).body.candidates[0].state).toBe('open');
  });

  it('answers a repeated accept with the same Idempotency-Key as the first time, writing nothing', async () => {
    const draft = await take();
    const trump = candidateOf(draft, 'donald-trump', 'lifted');
    const url = `/api/intake/${draft.draftId}/candidates/${trump.candidateId}/accept`;
    const headers = { 'Idempotency-Key': `intake-accept-${draft.draftId}` };
    const first = await ok(service.post(url, { stance: 'not-yet' }, 'recorder', headers));
    const repeat = await expectNothingWritten(service, () => service.post(url, { stance: 'not-yet' }, 'recorder', headers));
    expect({ status: repeat.status, body: repeat.body }).toEqual({ status: 201, body: first.body });
  });

  it('takes an HTML page: the article text without markup, scripts never run', async () => {
    const html =
      '<!doctype html><html><head><title>Sanctions stay</title><script>globalThis.intakeScriptRan = true</script></head><body>' +
      '<nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>Sanctions stay</h1>' +
      '<p>“We are not going to lift anything,” Trump said on Tuesday. <script>globalThis.intakeScriptRan = true</script>He <b>added</b> that talks would go on.</p>' +
      '<p>Rubio said last week that “there has to be concessions made by all sides.”</p><img src="x" onerror="globalThis.intakeScriptRan = true">' +
      '</article></body></html>';
    const draft = await take({ html, publishedOn: '2025-02-26' });
    expect(draft.source).toEqual({ title: 'Sanctions stay', publishedOn: '2025-02-26' });
    const shown = (await ok(service.get(`/api/intake/${draft.draftId}`), 200)).body;
    expect(shown.text).not.toMatch(/<|script|intakeScriptRan|onerror/);
    expect(shown.text).toContain('“We are not going to lift anything,” Trump said on Tuesday.');
    expect((globalThis as { intakeScriptRan?: boolean }).intakeScriptRan).toBeUndefined();
    const trump = draft.candidates.find((c: any) => c.speaker.actorId === 'donald-trump');
    expect(shown.text.slice(trump.quoteSpan[0], trump.quoteSpan[1])).toBe('We are not going to lift anything');
    expect(trump.statedOn).toBe('2025-02-25');
    const log = JSON.stringify(await wholeLog(service, 'type=ArticleTaken'));
    expect(log).not.toContain('<script');
  });

  it('takes bodies up to 1 MiB on this route, and refuses 2 MiB with a clear 413, writing nothing', async () => {
    const long = `${SEED_ARTICLE.text}\n\n${'The talks went on into the night. '.repeat(12_000)}`;
    expect(long.length).toBeGreaterThan(256 * 1024);
    await ok(service.post('/api/intake', article({ text: long })));
    const huge = await expectNothingWritten(service, () => service.post('/api/intake', article({ text: 'x'.repeat(2 * 1024 * 1024) })));
    expectError(huge, 413);
    expect(huge.body.message).toContain('1 MiB');
    // The other routes keep their 64 KiB.
    expectError(await service.post('/api/topics', { id: 'x', title: 'x'.repeat(70 * 1024) }), 413);
  }, 60_000);

  it('keeps answering other requests while it reads a long article', async () => {
    const news = [SEED_ARTICLE, ...INTAKE_ARTICLES].map((a) => a.text).join('\n\n');
    const long = news.repeat(Math.ceil((900 * 1024) / news.length)).slice(0, 900 * 1024);
    const seen: string[] = [];
    // The registry is read just before the reading begins, and the draft written just after it ends:
    // a request that comes in between is answered in between, unless the reading holds the event loop.
    const views = service.app.get(ReadModels);
    const streams = service.app.get(StreamCommands);
    const [actorsAfter, handle] = [views.actorsAfter.bind(views), streams.handle.bind(streams)];
    const health: { answer?: Promise<{ status: number }> } = {};
    const registry = jest.spyOn(views, 'actorsAfter').mockImplementation((after, limit) => {
      health.answer ??= service.get('/health', null).then((answer) => (seen.push('health answered'), answer));
      return actorsAfter(after, limit);
    });
    const writing = jest.spyOn(streams, 'handle').mockImplementation((...args) => (seen.push('draft written'), handle(...args)));
    const intake = service.post('/api/intake', article({ text: long }));
    await intake.finally(() => [registry, writing].forEach((spy) => spy.mockRestore()));
    expect((await health.answer)?.status).toBe(200);
    expect((await ok(intake)).body.candidates.length).toBeGreaterThan(1000);
    expect(seen).toEqual(['health answered', 'draft written']);
  }, PROCESS_TEST_MS);

  it('refuses bad input with clear errors and writes nothing', async () => {
    const refused = async (body: unknown, status: number, field?: string) => expectError(await expectNothingWritten(service, () => service.post('/api/intake', body)), status, field);
    await refused(article({ text: '' }), 400, 'text');
    await refused(article({ text: '   \n  ' }), 400, 'text');
    await refused(article({ text: undefined }), 400, 'text');
    await refused(article({ html: '<p>both</p>' }), 400, 'html');
    await refused(article({ text: undefined, html: '<html><body><script>1</script></body></html>' }), 400, 'html');
    await refused(article({ publishedOn: '2999-01-01' }), 422, 'publishedOn');
    await refused(article({ publishedOn: '2025-02-30' }), 400, 'publishedOn');
    await refused(article({ publishedOn: undefined }), 400, 'publishedOn');
    await refused(article({ topicId: 'no-such-topic' }), 404, 'topicId');
    await refused(article({ url: 'javascript:alert(1)' }), 400, 'url');
    await refused(article({ colour: 'red' }), 400, 'colour');
  });

  it('answers 404 for an unknown draft or candidate, 400 for a malformed id, and needs a recorder key', async () => {
    const draft = await take();
    const missing = '00000000-0000-4000-8000-000000000000';
    expectError(await service.get(`/api/intake/${missing}`), 404, 'draftId');
    expectError(await expectNothingWritten(service, () => service.post(`/api/intake/${missing}/candidates/c1/accept`, {})), 404, 'draftId');
    expectError(await expectNothingWritten(service, () => service.post(`/api/intake/${draft.draftId}/candidates/c999/reject`, { reason: 'no' })), 404, 'candidateId');
    expectError(await service.get('/api/intake/not-a-uuid'), 400, 'draftId');
    expectError(await service.post('/api/intake', article(), null), 401);
    expectError(await service.post('/api/intake', article(), 'reader'), 403);
    expectError(await service.post(`/api/intake/${draft.draftId}/candidates/c1/reject`, {}), 400, 'reason');
  });
});
