import { actorBody, affiliationBody } from '@positions/testing';
import { DataSetLoader } from '@positions/application';
import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, ok } from './support/world';

describe('actors: POST /api/actors, GET /api/actors, GET /api/actors/{id}', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await ok(service.post('/api/actors', actorBody('usGovernment')));
  });
  afterAll(() => service.close());

  it('registers an actor and answers 201 with the actor in its exact shape', async () => {
    const answer = await service.post('/api/actors', actorBody('putin', { wikidataId: 'Q7747', aliases: ['Putin'] }));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', aliases: ['Putin'], wikidataId: 'Q7747', affiliations: [] });
  });

  it('answers wikidataId null and aliases [] when they were not given', async () => {
    const answer = await service.post('/api/actors', { id: 'angela-merkel', name: 'Angela Merkel', kind: 'person' });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: 'angela-merkel', name: 'Angela Merkel', kind: 'person', aliases: [], wikidataId: null, affiliations: [] });
  });

  it('lists every actor by id, and shows one actor exactly as registered', async () => {
    const list = await service.get('/api/actors');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(list.body.map((a: { id: string }) => a.id)).toEqual(['angela-merkel', 'us-government', 'vladimir-putin']);
    const one = await service.get('/api/actors/us-government');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ id: 'us-government', name: 'United States government', kind: 'government', aliases: ['Washington'], wikidataId: null, affiliations: [] });
    expect(list.body.find((a: { id: string }) => a.id === 'us-government')).toEqual(one.body);
  });

  it('accepts a name of exactly 200 characters and 20 aliases (the bounds)', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `alias ${i}`);
    const answer = await service.post('/api/actors', { id: 'long-name', name: 'n'.repeat(200), kind: 'organization', aliases });
    expect(answer.status).toBe(201);
    expect(answer.body.aliases).toEqual(aliases);
  });

  it('answers 409 when the id is already taken, and keeps the first actor', async () => {
    await expectNothingWritten(service, async () => {
      const answer = await service.post('/api/actors', actorBody('usGovernment', { name: 'Someone else' }));
      expectError(answer, 409, 'id');
    });
    expect((await service.get('/api/actors/us-government')).body.name).toBe('United States government');
  });

  it.each([
    ['a missing name', { id: 'a-b', kind: 'person' }, 'name'],
    ['an unknown kind', { id: 'a-b', name: 'A B', kind: 'party' }, 'kind'],
    ['a malformed id', { id: 'A_B', name: 'A B', kind: 'person' }, 'id'],
    ['an id of 65 characters', { id: 'a'.repeat(65), name: 'A B', kind: 'person' }, 'id'],
    ['a name of 201 characters', { id: 'a-b', name: 'n'.repeat(201), kind: 'person' }, 'name'],
    ['a blank name', { id: 'a-b', name: '   ', kind: 'person' }, 'name'],
    ['21 aliases', { id: 'a-b', name: 'A B', kind: 'person', aliases: Array.from({ length: 21 }, (_, i) => `a${i}`) }, 'aliases'],
    ['aliases that are not a list', { id: 'a-b', name: 'A B', kind: 'person', aliases: 'AB' }, 'aliases'],
    ['a name that is a number', { id: 'a-b', name: 42, kind: 'person' }, 'name'],
    ['a malformed wikidataId', { id: 'a-b', name: 'A B', kind: 'person', wikidataId: 'X12' }, 'wikidataId'],
    ['an unknown field', { id: 'a-b', name: 'A B', kind: 'person', party: 'none' }, 'party'],
  ])('answers 400 naming the field for %s, and registers nothing', async (_, body, field) => {
    await expectNothingWritten(service, async () => expectError(await service.post('/api/actors', body), 400, field));
  });

  it('answers 404 for an unknown actor and 400 for a malformed id in the path', async () => {
    expectError(await service.get('/api/actors/nobody-here'), 404);
    expectError(await service.get('/api/actors/Not_A_Slug'), 400, 'id');
  });
});

describe('affiliations: POST /api/actors/{id}/affiliations and /affiliations/end', () => {
  let service: TestService;
  const rubio = '/api/actors/marco-rubio';

  beforeAll(async () => {
    service = await startService();
    await ok(service.post('/api/actors', actorBody('usGovernment')));
    await ok(service.post('/api/actors', actorBody('eu')));
    await ok(service.post('/api/actors', actorBody('rubio')));
    await ok(service.post('/api/actors', actorBody('trump')));
  });
  afterAll(() => service.close());

  it('begins an affiliation: 201 with the actor, until null while open', async () => {
    const answer = await service.post(`${rubio}/affiliations`, affiliationBody('rubio'));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: 'marco-rubio', name: 'Marco Rubio', kind: 'person', aliases: [], wikidataId: null,
      affiliations: [{ organizationId: 'us-government', role: 'Secretary of State', from: '2025-01-21', until: null, speaksFor: true }],
    });
    expect((await service.get('/api/actors/marco-rubio')).body).toEqual(answer.body);
  });

  it('defaults speaksFor to false and keeps a closed interval as given', async () => {
    const body = { organizationId: 'european-union', role: 'Observer', from: '2020-01-01', until: '2020-12-31' };
    const answer = await service.post('/api/actors/donald-trump/affiliations', body);
    expect(answer.status).toBe(201);
    expect(answer.body.affiliations).toEqual([{ ...body, speaksFor: false }]);
  });

  it('ends an open affiliation: 201 with the actor, until set', async () => {
    const answer = await service.post(`${rubio}/affiliations/end`, { organizationId: 'us-government', role: 'Secretary of State', until: '2029-01-20' });
    expect(answer.status).toBe(201);
    expect(answer.body.affiliations).toEqual([{ organizationId: 'us-government', role: 'Secretary of State', from: '2025-01-21', until: '2029-01-20', speaksFor: true }]);
    expect((await service.get('/api/actors/marco-rubio')).body.affiliations[0].until).toBe('2029-01-20');
  });

  it('answers 422 for an affiliation that ends before it begins (begin and end), and writes nothing', async () => {
    await expectNothingWritten(service, async () => {
      const begin = await service.post('/api/actors/donald-trump/affiliations', affiliationBody('trump', { until: '2025-01-19' }));
      expectError(begin, 422, 'until');
    });
    await ok(service.post('/api/actors/donald-trump/affiliations', affiliationBody('trump')));
    await expectNothingWritten(service, async () => {
      const end = await service.post('/api/actors/donald-trump/affiliations/end', { organizationId: 'us-government', role: 'President', until: '2025-01-19' });
      expectError(end, 422, 'until');
    });
  });

  it('answers 422 for an affiliation with a person as organization, and writes nothing', async () => {
    await expectNothingWritten(service, async () => {
      const answer = await service.post(`${rubio}/affiliations`, { organizationId: 'donald-trump', role: 'Adviser', from: '2025-01-21' });
      expectError(answer, 422, 'organizationId');
    });
  });

  it('answers 404 for an unknown actor in the path or an unknown organization in the body', async () => {
    await expectNothingWritten(service, async () => {
      expectError(await service.post('/api/actors/nobody-here/affiliations', affiliationBody('rubio')), 404);
      expectError(await service.post('/api/actors/nobody-here/affiliations/end', { organizationId: 'us-government', role: 'X', until: '2025-01-01' }), 404);
      expectError(await service.post(`${rubio}/affiliations`, affiliationBody('rubio', { organizationId: 'no-such-org' })), 404, 'organizationId');
    });
  });

  it.each([
    ['a date that is not a calendar date', { from: '2025-02-30' }, 'from'],
    ['a date-time where a date is due', { from: '2025-01-21T00:00:00Z' }, 'from'],
    ['a malformed organizationId', { organizationId: 'US Government' }, 'organizationId'],
    ['a role of 201 characters', { role: 'r'.repeat(201) }, 'role'],
    ['speaksFor that is not a boolean', { speaksFor: 'yes' }, 'speaksFor'],
  ])('answers 400 for %s, and writes nothing', async (_, overrides, field) => {
    await expectNothingWritten(service, async () => {
      const body = { ...affiliationBody('rubio'), role: 'Envoy', ...overrides };
      expectError(await service.post(`${rubio}/affiliations`, body), 400, field);
    });
  });

  it('answers 400 for a malformed actor id in the path', async () => {
    expectError(await service.post('/api/actors/Marco_Rubio/affiliations', affiliationBody('rubio')), 400, 'id');
  });
});

describe('GET /api/actors on a record of thousands of actors', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('answers [] before any actor, then every actor once, by id, though the listing is written a piece at a time', async () => {
    expect((await ok(service.get('/api/actors'), 200)).body).toEqual([]);
    const ids = Array.from({ length: 2300 }, (_, i) => `actor-${String(i).padStart(4, '0')}`);
    await service.app.get(DataSetLoader).load({ actors: ids.map((id) => ({ id, name: `Actor ${id}`, kind: 'person', aliases: ['Somebody'] })) }, 'test');
    const list = (await ok(service.get('/api/actors'), 200)).body;
    expect(list.map((a: { id: string }) => a.id)).toEqual(ids);
    expect(list[1234]).toEqual((await ok(service.get('/api/actors/actor-1234'), 200)).body);
  });
});
