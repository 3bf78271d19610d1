import { sanctionsReliefBody } from '@positions/testing';
import { startService, type TestService } from './support/app-harness';
import { expectError, ok } from './support/world';

/* GET /api/actors?q= and GET /api/topics?q=: names, aliases, titles and propositions; case and accents ignored; word prefixes; best first. */

describe('GET /api/actors?q= and /api/topics?q=', () => {
  let service: TestService;
  const ids = async (path: string): Promise<string[]> => (await ok(service.get(path), 200)).body.map((x: { id: string }) => x.id);

  beforeAll(async () => {
    service = await startService({ env: { SEED_DEMO: 'true' } });
    await ok(service.post('/api/actors', { id: 'volodymyr-zelenskyy', name: 'Volodymyr Zelenskyy', kind: 'person', aliases: ['Zelensky', 'Зеленський'] }));
    await ok(service.post('/api/actors', { id: 'jose-manuel-albares', name: 'José Manuel Albares', kind: 'person' }));
  });
  afterAll(() => service.close());

  it('finds actors by name or alias, ignoring case and accents, by word prefixes', async () => {
    expect(await ids('/api/actors?q=dombrovskis')).toEqual(['valdis-dombrovskis']);
    expect(await ids('/api/actors?q=DOMBRO')).toEqual(['valdis-dombrovskis']);
    expect(await ids('/api/actors?q=Zelenskyy')).toEqual(['volodymyr-zelenskyy']);
    expect(await ids('/api/actors?q=zelensky')).toEqual(['volodymyr-zelenskyy']);
    expect(await ids('/api/actors?q=Зеленський')).toEqual(['volodymyr-zelenskyy']);
    expect(await ids('/api/actors?q=jose')).toEqual(['jose-manuel-albares']);
    expect(await ids('/api/actors?q=Jos%C3%A9%20albar')).toEqual(['jose-manuel-albares']);
    expect(await ids('/api/actors?q=kremlin')).toEqual(['russian-government']);
    expect(await ids('/api/actors?q=brussels')).toEqual(['european-union']);
    expect(await ids('/api/actors?q=nobody')).toEqual([]);
  });

  it('finds actors and topics registered after an earlier search (what it keeps between requests follows the record)', async () => {
    expect(await ids('/api/actors?q=quillfeather')).toEqual([]);
    expect(await ids('/api/topics?q=quillfeather')).toEqual([]);
    await ok(service.post('/api/actors', { id: 'ada-quillfeather', name: 'Ada Quillfeather', kind: 'person' }));
    expect(await ids('/api/actors?q=quillfeather')).toEqual(['ada-quillfeather']);
    await ok(service.post('/api/topics', { ...sanctionsReliefBody(), id: 'quillfeather-topic', title: 'Quillfeather levies', proposition: 'Quillfeather levies should rise' }));
    expect(await ids('/api/topics?q=quillfeather')).toEqual(['quillfeather-topic']);
  });

  it('answers the same actor objects as the listing without q, best first', async () => {
    const all = (await ok(service.get('/api/actors'), 200)).body;
    const found = (await ok(service.get('/api/actors?q=government'), 200)).body;
    // Both governments have the word in their name; the US one also in its id only counts once.
    expect(found.map((a: { id: string }) => a.id).sort()).toEqual(['russian-government', 'us-government']);
    for (const actor of found) expect(actor).toEqual(all.find((a: { id: string }) => a.id === actor.id));
    // A whole name equal to the query comes before names that only contain its words.
    await ok(service.post('/api/actors', { id: 'putin-watchers', name: 'Putin watchers club', kind: 'organization' }));
    await ok(service.post('/api/actors', { id: 'vladimir-putin-2', name: 'Vladimir', kind: 'person', aliases: ['Putin'] }));
    expect((await ids('/api/actors?q=vladimir%20putin'))[0]).toBe('vladimir-putin');
    expect(await ids('/api/actors?q=putin')).toEqual(['vladimir-putin-2', 'putin-watchers', 'vladimir-putin']);
  });

  it('finds topics by title or proposition, titles first', async () => {
    expect(await ids('/api/topics?q=relief')).toEqual(['russia-sanctions-relief']);
    expect(await ids('/api/topics?q=LIFTED')).toEqual(['russia-sanctions-relief']);
    expect(await ids('/api/topics?q=weaken')).toEqual(['russia-sanctions-effect']);
    expect((await ids('/api/topics?q=sanctions%20russia')).sort()).toEqual(['russia-sanctions-effect', 'russia-sanctions-relief']);
    expect(await ids('/api/topics?q=tariffs')).toEqual([]);
  });

  it('refuses a blank or too long q and unknown parameters', async () => {
    expectError(await service.get('/api/actors?q='), 400, 'q');
    expectError(await service.get(`/api/topics?q=${'a'.repeat(201)}`), 400, 'q');
    expectError(await service.get('/api/actors?name=x'), 400);
    expectError(await service.get('/api/topics?q=a&q=b'), 400, 'q');
  });
});
