import { actorBody, sanctionsReliefBody, sanctionsReliefCodebook, statementBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, ok, TOPIC } from './support/world';

const stances = (n: number) => Array.from({ length: n }, (_, i) => ({ code: `s${i}`, label: `Stance ${i}`, score: 0 }));

describe('topics: POST /api/topics, POST /api/topics/{id}/stances, GET /api/topics, GET /api/topics/{id}', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('opens a topic and answers 201 with the topic in its exact shape', async () => {
    const answer = await service.post('/api/topics', sanctionsReliefBody());
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: TOPIC,
      title: 'Relief of Western sanctions on Russia',
      proposition: 'Western sanctions on Russia should be lifted',
      stances: sanctionsReliefCodebook(),
    });
  });

  it('lists every topic by id and shows one topic exactly as opened', async () => {
    await ok(service.post('/api/topics', { id: 'arms-to-ukraine', title: 'Arms to Ukraine', proposition: 'The West should arm Ukraine', stances: stances(1) }));
    const list = await service.get('/api/topics');
    expect(list.status).toBe(200);
    expect(list.body.map((t: { id: string }) => t.id)).toEqual(['arms-to-ukraine', TOPIC]);
    const one = await service.get(`/api/topics/${TOPIC}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ ...sanctionsReliefBody(), stances: sanctionsReliefCodebook() });
    expect(list.body[1]).toEqual({ ...one.body, speakers: 0 });
  });

  it('adds a stance: 201 with the whole codebook, and a statement may then use it', async () => {
    const answer = await service.post(`/api/topics/${TOPIC}/stances`, { code: 'freeze', label: 'Keep sanctions as they are', score: 0 });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ ...sanctionsReliefBody(), stances: [...sanctionsReliefCodebook(), { code: 'freeze', label: 'Keep sanctions as they are', score: 0 }] });
    expect((await service.get(`/api/topics/${TOPIC}`)).body).toEqual(answer.body);

    await ok(service.post('/api/actors', actorBody('rubio')));
    await ok(service.post('/api/statements', statementBody({ stance: 'freeze' })));
    const position = await service.get(`/api/actors/marco-rubio/positions/${TOPIC}?at=2025-02-18`);
    expect(position.body.stance).toEqual({ code: 'freeze', label: 'Keep sanctions as they are', score: 0 });
    // The listing counts the new speaker as soon as the statement is answered (docs/api.md).
    const listed = (await service.get('/api/topics')).body.find((t: { id: string }) => t.id === TOPIC);
    expect(listed.speakers).toBe(1);
  });

  it('accepts a codebook of 20 stances and scores from -2 to 2 (the bounds)', async () => {
    const book = stances(20).map((s, i) => ({ ...s, score: (i % 5) - 2 }));
    const answer = await service.post('/api/topics', { id: 'twenty', title: 'Twenty', proposition: 'Twenty stances', stances: book });
    expect(answer.status).toBe(201);
    expect(answer.body.stances).toEqual(book);
  });

  it('answers 409 when the topic id is taken, and keeps the first topic', async () => {
    await expectNothingWritten(service, async () => {
      expectError(await service.post('/api/topics', sanctionsReliefBody({ title: 'Another title' })), 409, 'id');
    });
    expect((await service.get(`/api/topics/${TOPIC}`)).body.title).toBe('Relief of Western sanctions on Russia');
  });

  it('answers 409 when the stance code is taken, and keeps the first label', async () => {
    await expectNothingWritten(service, async () => {
      expectError(await service.post(`/api/topics/${TOPIC}/stances`, { code: 'tighten', label: 'Other', score: 1 }), 409, 'code');
    });
    const tighten = (await service.get(`/api/topics/${TOPIC}`)).body.stances.filter((s: { code: string }) => s.code === 'tighten');
    expect(tighten).toEqual([{ code: 'tighten', label: 'Add further restrictions', score: -2 }]);
  });

  it('answers 422 for duplicate stance codes in a new codebook, and opens nothing', async () => {
    await expectNothingWritten(service, async () => {
      const body = { id: 'dup-codes', title: 'Dup', proposition: 'Dup', stances: [{ code: 'a', label: 'A', score: 1 }, { code: 'a', label: 'B', score: -1 }] };
      expectError(await service.post('/api/topics', body), 422);
    });
    expectError(await service.get('/api/topics/dup-codes'), 404);
  });

  it.each([
    ['a missing proposition', { proposition: undefined }, 'proposition'],
    ['an empty codebook', { stances: [] }, 'stances'],
    ['21 stances', { stances: stances(21) }, 'stances'],
    ['a codebook that is not a list', { stances: { code: 'a' } }, 'stances'],
    ['a score of 3', { stances: [{ code: 'a', label: 'A', score: 3 }] }, 'stances[0].score'],
    ['a score of 1.5', { stances: [{ code: 'a', label: 'A', score: 1.5 }] }, 'stances[0].score'],
    ['a score given as a string', { stances: [{ code: 'a', label: 'A', score: '1' }] }, 'stances[0].score'],
    ['a malformed stance code', { stances: [{ code: 'Not OK', label: 'A', score: 0 }] }, 'stances[0].code'],
    ['an unknown field in a stance', { stances: [{ code: 'a', label: 'A', score: 0, colour: 'red' }] }, 'stances[0].colour'],
    ['a title of 201 characters', { title: 't'.repeat(201) }, 'title'],
    ['a proposition of 501 characters', { proposition: 'p'.repeat(501) }, 'proposition'],
    ['an unknown field', { tags: ['x'] }, 'tags'],
  ])('answers 400 naming the field for %s, and opens nothing', async (_, overrides, field) => {
    await expectNothingWritten(service, async () => {
      const body = { id: 'new-topic', title: 'New', proposition: 'New', stances: stances(2), ...overrides };
      expectError(await service.post('/api/topics', body), 400, field);
    });
  });

  it('answers 400 for a malformed stance, and adds nothing', async () => {
    await expectNothingWritten(service, async () => {
      expectError(await service.post(`/api/topics/${TOPIC}/stances`, { code: 'x', label: 'X', score: -3 }), 400, 'score');
      expectError(await service.post(`/api/topics/${TOPIC}/stances`, { code: 'x', label: 'X' }), 400, 'score');
      expectError(await service.post(`/api/topics/${TOPIC}/stances`, { code: 'x', label: '', score: 0 }), 400, 'label');
    });
  });

  it('answers 404 for an unknown topic, and 400 for a malformed topic id in the path', async () => {
    expectError(await service.get('/api/topics/no-such-topic'), 404);
    expectError(await service.post('/api/topics/no-such-topic/stances', { code: 'x', label: 'X', score: 0 }), 404);
    expectError(await service.get('/api/topics/No_Such'), 400, 'id');
    expectError(await service.post('/api/topics/No_Such/stances', { code: 'x', label: 'X', score: 0 }), 400, 'id');
  });
});
