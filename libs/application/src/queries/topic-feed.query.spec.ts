import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { MemoryEventStore } from '@positions/event-store';
import { ReadModels } from '@positions/projections';
import { ApplicationModule } from '../application.module';
import type { DataSet } from '../data-set/data-set';
import { DataSetLoader } from '../data-set/data-set.loader';
import { turnsDuring } from '@positions/testing';
import { type TopicFeed, TopicFeedQuery, voiceSchedule } from './topic-feed.query';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const STANCES = [
  { code: 'for', label: 'For', score: 1 },
  { code: 'against', label: 'Against', score: -1 },
];

/** Runs `test` on a service of its own holding `record`, closed afterwards. */
async function onRecord(record: DataSet, test: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  const store = new MemoryEventStore({ clock: () => NOW });
  const app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
  try {
    await app.get(DataSetLoader).load(record, 'test');
    await test(app);
  } finally {
    await app.close();
  }
}

/**
 * A record where most actors have nothing to do with the topic: three organizations (one a member
 * of another), spokespeople and plain members with roles that begin and end, speakers with no
 * organization, and a crowd of bystanders, some of them in an organization nobody speaks for.
 */
function record(): DataSet {
  const person = (id: string) => ({ id, name: id.replace(/-/g, ' '), kind: 'person' as const, aliases: [] });
  const organizations = [
    { id: 'government', name: 'Government', kind: 'government' as const, aliases: [] },
    { id: 'ministry', name: 'Ministry', kind: 'government' as const, aliases: [] },
    { id: 'union', name: 'Union', kind: 'organization' as const, aliases: [] },
    { id: 'quiet-club', name: 'Quiet club', kind: 'organization' as const, aliases: [] },
  ];
  const people = ['spokes-a', 'spokes-b', 'member-c', 'member-d', 'loner-e', 'union-f', 'union-g'].map(person);
  const bystanders = Array.from({ length: 40 }, (_, i) => person(`bystander-${i}`));
  const statement = (actorId: string, statedOn: string, stance = 'for') => ({ actorId, topicId: 'tariffs', stance, statedOn, summary: `${actorId} on ${statedOn}`, source: { title: 'report' } });
  return {
    actors: [...organizations, ...people, ...bystanders],
    affiliations: [
      { actorId: 'ministry', organizationId: 'government', role: 'department', from: '2020-01-01' },
      { actorId: 'spokes-a', organizationId: 'government', role: 'spokesperson', from: '2025-01-10', until: '2025-03-31', speaksFor: true },
      { actorId: 'spokes-b', organizationId: 'government', role: 'spokesperson', from: '2025-04-01', speaksFor: true },
      { actorId: 'member-c', organizationId: 'government', role: 'adviser', from: '2024-01-01' },
      { actorId: 'member-d', organizationId: 'ministry', role: 'spokesperson', from: '2025-02-01', speaksFor: true },
      { actorId: 'spokes-a', organizationId: 'ministry', role: 'adviser', from: '2025-01-01' },
      { actorId: 'union-f', organizationId: 'union', role: 'chair', from: '2025-01-01', speaksFor: true },
      { actorId: 'union-g', organizationId: 'union', role: 'member', from: '2025-05-01', until: '2025-05-20', speaksFor: true },
      ...bystanders.slice(0, 10).map(({ id }) => ({ actorId: id, organizationId: 'quiet-club', role: 'member', from: '2025-01-01', speaksFor: true })),
      ...bystanders.slice(10, 15).map(({ id }) => ({ actorId: id, organizationId: 'government', role: 'clerk', from: '2025-03-10', until: '2025-04-15', speaksFor: true })),
    ],
    topics: [{ id: 'tariffs', title: 'Tariffs', proposition: 'Tariffs should rise', stances: STANCES }],
    statements: [
      statement('spokes-a', '2025-02-17/2025-02-23'),
      statement('spokes-b', '2025-04-20', 'against'),
      statement('member-d', '2025-03'),
      statement('ministry', '2025-03-05', 'against'),
      statement('loner-e', '2025-02-01'),
      statement('union-f', '2025-01-15'),
    ],
  };
}

describe('a topic feed in a record of many actors', () => {
  let app: INestApplicationContext;
  let views: ReadModels;
  let feed: TopicFeed;
  /** How often the feed read the whole listing of actors. */
  let listingsRead: number;

  beforeAll(async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    await app.get(DataSetLoader).load(record(), 'test');
    views = app.get(ReadModels);
    const listing = jest.spyOn(views, 'actors');
    feed = await app.get(QueryBus).execute(new TopicFeedQuery('tariffs'));
    listingsRead = listing.mock.calls.length;
    listing.mockRestore();
  }, 30_000);
  afterAll(() => app.close());

  it('samples each voice at the days the whole record says it can change, without reading every actor', () => {
    const timelines = new Map(feed.actors.map((a) => [a.actorId, a.timeline]));
    const expected = voiceSchedule(views.actors(), timelines);
    expect(feed.voices.map((v) => [v.organizationId, v.samples.map((s) => s.date)])).toEqual([...expected]);
    // The government (through its spokespeople and the ministry's member), the ministry and the union; not the quiet club.
    expect(feed.voices.map((v) => v.organizationId)).toEqual(['government', 'ministry', 'union']);
    // The clerks' roles bound the government's voice though they never spoke.
    expect(feed.voices[0].samples.map((s) => s.date)).toEqual(expect.arrayContaining(['2025-03-10', '2025-04-16']));
    expect(listingsRead).toBe(0);
  });

  it('names the speakers, their organizations and the voices, as the record has them, without reading every actor', () => {
    expect(feed.directory.map((a) => a.id).sort()).toEqual(['government', 'loner-e', 'member-d', 'ministry', 'spokes-a', 'spokes-b', 'union', 'union-f']);
    for (const entry of feed.directory) expect(entry).toEqual(expect.objectContaining({ name: views.actor(entry.id)?.name, affiliations: views.actor(entry.id)?.affiliations.map(({ organizationId, role, from, until, speaksFor }) => ({ organizationId, role, from, until, speaksFor })) }));
    expect(listingsRead).toBe(0);
  });
});

describe('a topic feed of many speakers', () => {
  it('reads its actors a few at a time with other turns between, every speaker once, the directory naming each', async () => {
    const speakers = Array.from({ length: 300 }, (_, i) => ({ id: `speaker-${String(i).padStart(3, '0')}`, name: `Speaker ${i}`, kind: 'person' as const, aliases: [] }));
    const record: DataSet = {
      actors: speakers,
      affiliations: [],
      topics: [{ id: 'crowded', title: 'Crowded', proposition: 'Many speak', stances: STANCES }],
      statements: speakers.map(({ id }) => ({ actorId: id, topicId: 'crowded', stance: 'for', statedOn: '2025-05-01', summary: `${id} spoke`, source: { title: 'report' } })),
    };
    await onRecord(record, async (app) => {
      const { result, turns } = await turnsDuring(() => app.get(QueryBus).execute(new TopicFeedQuery('crowded')));
      expect(result.actors.map((a) => a.actorId)).toEqual(speakers.map((s) => s.id));
      expect(result.directory.map((a) => a.id)).toEqual(speakers.map((s) => s.id));
      // A hundred actors of ~2 KB each took 13-28 ms of one turn at 1,000,000 statements: at most 25 now.
      expect(turns).toBeGreaterThanOrEqual(300 / 25 - 1);
      // As known before any statement: no speaker, the topic read a range of a hundred actors per turn, not to its end at once.
      const before = await turnsDuring(() => app.get(QueryBus).execute(new TopicFeedQuery('crowded', '2025-01-01T00:00:00Z')));
      expect(before.result).toMatchObject({ actors: [], voices: [], directory: [], next: null });
      expect(before.turns).toBeGreaterThanOrEqual(2);
    });
  }, 30_000);
});

describe('a topic feed whose speaker belongs to an organization of thousands', () => {
  it("looks the organization's members up a thousand at a time, the voice over all of them", async () => {
    const members = Array.from({ length: 2100 }, (_, i) => ({ id: `member-${String(i).padStart(4, '0')}`, name: `Member ${i}`, kind: 'person' as const, aliases: [] }));
    const record: DataSet = {
      actors: [{ id: 'party', name: 'Party', kind: 'organization' as const, aliases: [] }, ...members],
      affiliations: members.map(({ id }, i) => ({ actorId: id, organizationId: 'party', role: i === 0 ? 'spokesperson' : 'member', from: '2025-01-01', speaksFor: i === 0 })),
      topics: [{ id: 'tariffs', title: 'Tariffs', proposition: 'Tariffs should rise', stances: STANCES }],
      statements: [{ actorId: 'member-0000', topicId: 'tariffs', stance: 'for', statedOn: '2025-05-01', summary: 'member-0000 spoke', source: { title: 'report' } }],
    };
    await onRecord(record, async (app) => {
      const { result, turns } = await turnsDuring(() => app.get(QueryBus).execute(new TopicFeedQuery('tariffs')));
      expect(result.actors.map((a) => a.actorId)).toEqual(['member-0000']);
      expect(result.voices.map((v) => v.organizationId)).toEqual(['party']);
      // 2,101 lookups of the party and its members took one turn.
      expect(turns).toBeGreaterThanOrEqual(2);
    });
  }, 60_000);
});
