import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { MemoryEventStore } from '@positions/event-store';
import { type ActorView, ReadModels } from '@positions/projections';
import { ApplicationModule } from '../application.module';
import type { DataSet } from '../data-set/data-set';
import { DataSetLoader } from '../data-set/data-set.loader';
import { turnsDuring } from '@positions/testing';
import { ACTORS_PER_TURN, ActorListingQuery, ListActorsQuery } from './actors.queries';
import { NameMatcher } from './name-search';
import { ListTopicsQuery } from './topics.queries';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const STANCES = [
  { code: 'for', label: 'For', score: 1 },
  { code: 'against', label: 'Against', score: -1 },
];
const NOTHING: DataSet = { actors: [], affiliations: [], topics: [], statements: [] };

describe('finding actors and topics by name while statements are recorded', () => {
  let app: INestApplicationContext;
  let load: (data: Partial<DataSet>) => Promise<unknown>;
  let listings: { actors: jest.SpyInstance; topics: jest.SpyInstance };
  const statement = (actorId: string, statedOn: string) => ({ actorId, topicId: 'tariffs', stance: 'for', statedOn, summary: 's', source: { title: 'x' } });

  beforeAll(async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    load = (data) => app.get(DataSetLoader).load({ ...NOTHING, ...data }, 'test');
    await load({
      actors: ['ada-lovelace', 'alan-turing', 'grace-hopper'].map((id) => ({ id, name: id.replace('-', ' '), kind: 'person' as const, aliases: [] })),
      topics: [{ id: 'tariffs', title: 'Tariffs', proposition: 'Tariffs should rise', stances: STANCES }],
    });
    const views = app.get(ReadModels);
    listings = { actors: jest.spyOn(views, 'actorsAfter'), topics: jest.spyOn(views, 'topics') };
  }, 30_000);
  afterAll(() => app.close());

  it('reads the listing again only when actors or topics changed, not after each statement', async () => {
    const find = (q: string) => app.get(QueryBus).execute(new ListActorsQuery(q));
    const findTopic = (q: string) => app.get(QueryBus).execute(new ListTopicsQuery(q));
    expect((await find('al')).map((a: { id: string }) => a.id)).toEqual(['alan-turing']);
    expect(await findTopic('tar')).toHaveLength(1);
    // A read of the actors' listing starts from the first id.
    const read = () => [listings.actors.mock.calls.filter(([after]) => after === '').length, listings.topics.mock.calls.length];
    const before = read();

    await load({ statements: [statement('ada-lovelace', '2025-02-01'), statement('alan-turing', '2025-02-02')] });
    expect((await find('al')).map((a: { id: string }) => a.id)).toEqual(['alan-turing']);
    expect(await findTopic('tar')).toHaveLength(1);
    // Ten thousand actors take ~60 ms to read and fold: a search beside a stream of statements must not pay it each time.
    expect(read()).toEqual(before);

    await load({ actors: [{ id: 'alonzo-church', name: 'alonzo church', kind: 'person', aliases: [] }] });
    expect((await find('al')).map((a: { id: string }) => a.id)).toEqual(['alan-turing', 'alonzo-church']);
    expect(read()[0]).toBe(before[0] + 1);
  });
});

describe('a listing folded for name search', () => {
  const items = Array.from({ length: 2500 }, (_, i) => ({ id: `actor-${i}`, name: `Ädä Lövelace ${i}` }));
  const matcher = () => new NameMatcher<(typeof items)[number]>((item) => [{ text: item.name, weight: 3 }, { text: item.id, weight: 1 }]);

  it('given thousands of items, when first searched, then they are folded between pauses that let other requests in, and the matches are found', async () => {
    const names = matcher();
    // Folding ten thousand actors took 60-80 ms of one turn: every other request waited.
    const { result, turns } = await turnsDuring(() => names.bestMatches(1, () => [items], 'ada lovelace 124'));
    expect(result.map((item) => item.id)).toEqual(['actor-124', 'actor-1240', 'actor-1241', 'actor-1242', 'actor-1243', 'actor-1244', 'actor-1245', 'actor-1246', 'actor-1247', 'actor-1248', 'actor-1249']);
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('given searches asked at once, then the listing is read and folded once for all of them', async () => {
    const names = matcher();
    const list = jest.fn(() => [items]);
    const [a, b] = await Promise.all([names.bestMatches(1, list, 'actor-7'), names.bestMatches(1, list, 'lovelace 2499')]);
    expect(a.map((item) => item.id).slice(0, 2)).toEqual(['actor-7', 'actor-70']);
    expect(b.map((item) => item.id)).toEqual(['actor-2499']);
    expect(list).toHaveBeenCalledTimes(1);
    await names.bestMatches(2, list, 'actor-7');
    expect(list).toHaveBeenCalledTimes(2);
  });
});

describe('the whole listing of actors, as GET /api/actors streams it', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    const actors = Array.from({ length: 2500 }, (_, i) => ({ id: `actor-${String(i).padStart(4, '0')}`, name: `Actor ${i}`, kind: 'person' as const, aliases: [] }));
    await app.get(DataSetLoader).load({ ...NOTHING, actors }, 'test');
  }, 30_000);
  afterAll(() => app.close());

  it('given thousands of actors, then it is read a piece at a time, other requests going on between pieces, and holds every actor once, by id', async () => {
    const { result: pieces, turns } = await turnsDuring(async () => {
      const read: ActorView[][] = [];
      for await (const piece of await app.get(QueryBus).execute(new ActorListingQuery())) read.push(piece);
      return read;
    });
    expect(pieces.map((piece) => piece.length)).toEqual([ACTORS_PER_TURN, ACTORS_PER_TURN, 500]);
    expect(pieces.flat()).toEqual(app.get(ReadModels).actors());
    // Reading and parsing ten thousand actors took 12-21 ms of one turn.
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
