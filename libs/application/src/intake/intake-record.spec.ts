import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MemoryEventStore } from '@positions/event-store';
import { ReadModels } from '@positions/projections';
import { turnsDuring } from '@positions/testing';
import { ApplicationModule } from '../application.module';
import { DataSetLoader } from '../data-set/data-set.loader';
import { registeredActors, topicRecords } from './intake-record';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const STANCES = [
  { code: 'for', label: 'For', score: 1 },
  { code: 'against', label: 'Against', score: -1 },
];

/** What an article is read against: every actor, and a sample of each topic's statements. */
describe('the record an article is read against', () => {
  let app: INestApplicationContext;
  let views: ReadModels;
  const topics = Array.from({ length: 6 }, (_, t) => `topic-${t}`);

  beforeAll(async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    const actors = Array.from({ length: 2500 }, (_, i) => ({ id: `actor-${String(i).padStart(4, '0')}`, name: `Actor ${i}`, kind: 'person' as const, aliases: [`A${i}`] }));
    const statements = topics.flatMap((topicId, t) =>
      Array.from({ length: 30 }, (_, i) => ({ actorId: actors[t * 30 + i].id, topicId, stance: i % 2 ? 'for' : 'against', statedOn: '2025-02-01', summary: `Summary ${t}.${i}`, source: { title: 'x' } })),
    );
    await app.get(DataSetLoader).load({ actors, topics: topics.map((id) => ({ id, title: id, proposition: `${id} should happen`, stances: STANCES })), statements }, 'test');
    views = app.get(ReadModels);
  }, 30_000);
  afterAll(() => app.close());

  it('given thousands of actors, then every one is read, a piece of the listing at a time with other requests between pieces', async () => {
    const { result, turns } = await turnsDuring(() => registeredActors(views));
    expect(result).toEqual(views.actors().map(({ id, name, kind, aliases }) => ({ id, name, kind, aliases })));
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it("given several topics, then each topic's sample is read in a turn of its own", async () => {
    const { result, turns } = await turnsDuring(() => topicRecords(views, Date.parse('2030-01-01')));
    expect(result.map((topic) => [topic.id, topic.statements.length])).toEqual(topics.map((id) => [id, 30]));
    expect(result[2].statements).toEqual(expect.arrayContaining([{ stance: 'for', summary: 'Summary 2.1' }]));
    // A hundred large topics took one turn of about a second at 1,000,000 statements.
    expect(turns).toBeGreaterThanOrEqual(topics.length - 1);
  });

  it('given a budget of characters, then every topic has a share of it, and at least one statement', async () => {
    // 6 topics of 30 statements of ~11 characters: a share of 60 holds 5 of each.
    const samples = await topicRecords(views, Date.parse('2030-01-01'), 6 * 60);
    const characters = (topic: (typeof samples)[number]) => topic.statements.reduce((sum, s) => sum + s.summary.length + (s.quote?.length ?? 0), 0);
    for (const topic of samples) {
      expect(characters(topic)).toBeLessThanOrEqual(60);
      expect(topic.statements.length).toBeGreaterThanOrEqual(5);
    }
    // A share smaller than one statement still gives one.
    expect((await topicRecords(views, Date.parse('2030-01-01'), 6)).map((topic) => topic.statements.length)).toEqual(topics.map(() => 1));
  });
});
