import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, type Query, QueryBus } from '@nestjs/cqrs';
import { MemoryEventStore } from '@positions/event-store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationModule } from '../application.module';
import type { DataSet } from '../data-set/data-set';
import { DataSetLoader } from '../data-set/data-set.loader';
import { RegisterActorCommand } from '../register-actor/register-actor.handler';
import { GetActorQuery, ListActorsQuery } from '../queries/actors.queries';
import { TopicLandscapeQuery } from '../queries/landscape.queries';
import { PositionAtQuery } from '../queries/position-at.query';
import { SearchStatementsQuery } from '../queries/search-statements.query';
import { TimelineQuery } from '../queries/timeline.query';
import { TopicPanelQuery } from '../queries/topic-panel.query';
import { GetTopicQuery } from '../queries/topics.queries';
import { VoiceQuery } from '../queries/voice.query';
import { ReadApplicationModule } from './read-application.module';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const SAMPLE = join(__dirname, '..', '..', '..', '..', 'samples', 'sanctions-2025-02-26.json');
const TOPIC = 'russia-sanctions-relief';

/** The questions the CLI asks (and a few more), each as the API asks them. */
const QUESTIONS: Query<unknown>[] = [
  new PositionAtQuery('donald-trump', TOPIC, '2025-02-26'),
  new PositionAtQuery('marco-rubio', TOPIC, '2025-02-19', '2025-02-27'),
  new TimelineQuery('russian-government', 'russia-sanctions-effect'),
  new TopicLandscapeQuery(TOPIC, '2025-02-21'),
  new SearchStatementsQuery({ q: 'sanctions', includeRetracted: false, limit: 50 }),
  new TopicPanelQuery(TOPIC, '2025-02-01', '2025-03-01', 'week'),
  new VoiceQuery('us-government', TOPIC, '2025-02-26'),
  new GetActorQuery('marco-rubio'),
  new ListActorsQuery(),
  new GetTopicQuery(TOPIC),
];

describe('ReadApplicationModule (the CLI queries’ application)', () => {
  let store: MemoryEventStore;
  let full: INestApplicationContext;
  let read: INestApplicationContext;

  beforeAll(async () => {
    store = new MemoryEventStore({ clock: () => NOW });
    full = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    await full.get(DataSetLoader).load(JSON.parse(readFileSync(SAMPLE, 'utf8')) as DataSet, 'test');
    // Started after the writes, on views of its own: it catches them up from the log when it starts.
    read = await NestFactory.createApplicationContext(ReadApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
  });
  afterAll(async () => {
    await read.close();
    await full.close();
  });

  it.each(QUESTIONS.map((query) => [query.constructor.name, query]))('answers %s as the whole application does', async (_name, query) => {
    const answer = await read.get(QueryBus).execute(query);
    expect(answer).toEqual(await full.get(QueryBus).execute(query));
  });

  it('has no command handlers: a command is refused and nothing is written', async () => {
    const before = (await store.readAll()).length;
    const command = new RegisterActorCommand({ id: 'someone', name: 'Someone', kind: 'person', aliases: [] }, { recordedBy: 'test', correlationId: 'c', causationId: 'c' });
    await expect(async () => read.get(CommandBus).execute(command)).rejects.toThrow(/no handler/i);
    expect(await store.readAll()).toHaveLength(before);
  });
});
