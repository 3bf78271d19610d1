import type { Answer, TestService } from './support/app-harness';
import { correct, expectError, expectNothingWritten, freshPerson, ok, positionOf, say, retract, startWithTopic } from './support/world';

const UNKNOWN_ID = '0b5f8c1e-7d2a-4c3b-9e8f-1a2b3c4d5e6f';
const tomorrow = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);

describe('audit: refused corrections and retractions write nothing', () => {
  let service: TestService;
  let actor: string;
  let live: string;
  let retracted: string;

  /** The refusal, with the log (as /api/events shows it) and the statement unchanged. */
  async function refused(request: () => Promise<Answer>, status: number, field?: string): Promise<Answer> {
    const before = (await service.get(`/api/statements/${live}`)).body;
    const answer = await expectNothingWritten(service, request);
    expectError(answer, status, field);
    expect((await service.get(`/api/statements/${live}`)).body).toEqual(before);
    return answer;
  }

  beforeAll(async () => {
    service = await startWithTopic();
    actor = await freshPerson(service);
    live = (await say(service, actor, 'concessions-needed', '2025-02-18', { quote: 'concessions by all sides' })).id;
    retracted = (await say(service, actor, 'tighten', '2025-02-20')).id;
    await ok(retract(service, retracted));
  });
  afterAll(() => service.close());

  describe('422: well-formed, breaking a domain rule', () => {
    it('refuses to correct a retracted statement', async () => {
      await refused(() => correct(service, retracted, { summary: 'Too late' }), 422);
    });

    it('refuses to retract a retracted statement again', async () => {
      await refused(() => retract(service, retracted, 'Again'), 422);
    });

    it('refuses an empty correction', async () => {
      await refused(() => correct(service, live, {}), 422);
    });

    it('refuses a correction whose changes equal the current values', async () => {
      await refused(() => correct(service, live, { stance: 'concessions-needed' }), 422);
      await refused(() => correct(service, live, { statedOn: '2025-02-18', quote: 'concessions by all sides' }), 422);
    });

    it('refuses a stance not in the codebook', async () => {
      await refused(() => correct(service, live, { stance: 'lift-partially' }), 422, 'changes.stance');
    });

    it('refuses statedOn moved into the future', async () => {
      await refused(() => correct(service, live, { statedOn: tomorrow() }), 422, 'changes.statedOn');
      await refused(() => correct(service, live, { statedOn: '2999-01-01T00:00:00Z' }), 422, 'changes.statedOn');
    });

    it('refuses onBehalfOf an organization the speaker has no affiliation with', async () => {
      await ok(service.post('/api/actors', { id: 'some-government', name: 'Some government', kind: 'government' }));
      await refused(() => correct(service, live, { onBehalfOf: 'some-government' }), 422, 'changes.onBehalfOf');
    });
  });

  describe('400: the request’s shape', () => {
    it.each(['actorId', 'topicId'])('refuses %s in changes as an unknown field (actor and topic never change)', async (field) => {
      await refused(() => correct(service, live, { [field]: 'someone-else' }), 400, `changes.${field}`);
      await refused(() => correct(service, live, { [field]: 'someone-else', summary: 'And a real change' }), 400, `changes.${field}`);
    });

    it('refuses an unknown field beside changes and reason', async () => {
      await refused(() => service.post(`/api/statements/${live}/corrections`, { changes: { summary: 'x' }, reason: 'r', note: 'n' }, 'editor'), 400, 'note');
      await refused(() => service.post(`/api/statements/${live}/retractions`, { reason: 'r', note: 'n' }, 'editor'), 400, 'note');
    });

    it('refuses a missing changes object, or one that is not an object', async () => {
      await refused(() => service.post(`/api/statements/${live}/corrections`, { reason: 'r' }, 'editor'), 400, 'changes');
      await refused(() => service.post(`/api/statements/${live}/corrections`, { changes: 'stance', reason: 'r' }, 'editor'), 400, 'changes');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['blank', '   '],
      ['2,001 characters long', 'x'.repeat(2001)],
      ['not a string', 42],
    ])('refuses a reason that is %s, to correct and to retract', async (_, reason) => {
      const body = reason === undefined ? {} : { reason };
      await refused(() => service.post(`/api/statements/${live}/corrections`, { changes: { summary: 'x' }, ...body }, 'editor'), 400, 'reason');
      await refused(() => service.post(`/api/statements/${live}/retractions`, body, 'editor'), 400, 'reason');
    });

    it('accepts a reason of exactly 2,000 characters', async () => {
      const other = (await say(service, actor, 'not-yet', '2025-01-05')).id;
      await ok(retract(service, other, 'x'.repeat(2000)));
    });

    it('refuses a malformed changed field as when recording', async () => {
      await refused(() => correct(service, live, { statedOn: '2025-02-30' }), 400, 'changes.statedOn');
      await refused(() => correct(service, live, { summary: '' }), 400, 'changes.summary');
      await refused(() => correct(service, live, { source: { publisher: 'Nobody' } }), 400);
      await refused(() => correct(service, live, { source: { url: 'ftp://example.org/x' } }), 400, 'changes.source.url');
    });

    it.each(['not-a-uuid', '12345', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'])('refuses the malformed statement id %s on every route', async (id) => {
      await refused(() => correct(service, id, { summary: 'x' }), 400, 'id');
      await refused(() => retract(service, id), 400, 'id');
      expectError(await service.get(`/api/statements/${id}`), 400, 'id');
      expectError(await service.get(`/api/statements/${id}/history`), 400, 'id');
    });
  });

  describe('404, 401, 403', () => {
    it('answers 404 for a statement id no statement has, on every route', async () => {
      await refused(() => correct(service, UNKNOWN_ID, { summary: 'x' }), 404);
      await refused(() => retract(service, UNKNOWN_ID), 404);
      expectError(await service.get(`/api/statements/${UNKNOWN_ID}`), 404);
      expectError(await service.get(`/api/statements/${UNKNOWN_ID}/history`), 404);
    });

    it('refuses a recorder key (403) and no key or an unknown key (401)', async () => {
      await refused(() => correct(service, live, { summary: 'x' }, undefined, 'recorder'), 403);
      await refused(() => retract(service, live, undefined, 'recorder'), 403);
      await refused(() => correct(service, live, { summary: 'x' }, undefined, 'reader'), 403);
      await refused(() => correct(service, live, { summary: 'x' }, undefined, null), 401);
      await refused(() => retract(service, live, undefined, null), 401);
      const bogus = { authorization: 'Bearer not-a-key' };
      await refused(() => correct(service, live, { summary: 'x' }, undefined, null, bogus), 401);
    });
  });

  it('still shows the live statement as recorded after all the refusals', async () => {
    const answer = await ok(positionOf(service, actor, 'at=2025-02-28'), 200);
    expect(answer.body).toMatchObject({ stance: { code: 'concessions-needed' }, statement: { statementId: live, quote: 'concessions by all sides' } });
    expect((await service.get(`/api/statements/${live}`)).body).toMatchObject({ retracted: false, correctedAt: null });
  });
});
