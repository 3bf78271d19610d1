import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { MemoryEventStore } from '@positions/event-store';
import { turnsDuring } from '@positions/testing';
import { ApplicationModule } from '../application.module';
import { DataSetLoader } from '../data-set/data-set.loader';
import { ACTORS_PER_PIECE } from './actor-pages';
import { type ChangesAnswer, type LandscapeAnswer, TopicChangesQuery, TopicLandscapeQuery } from './landscape.queries';
import { PositionAtQuery } from './position-at.query';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const ACTORS = 1100;
const STANCES = [
  { code: 'for', label: 'For', score: 1 },
  { code: 'against', label: 'Against', score: -1 },
];

/** A topic of 1,100 actors, each with one statement in 2024 (a month of its own), all recorded at NOW. */
describe('a landscape of many actors where few or none have a position', () => {
  let app: INestApplicationContext;
  const ids = Array.from({ length: ACTORS }, (_, i) => `actor-${String(i).padStart(4, '0')}`);

  beforeAll(async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    await app.get(DataSetLoader).load(
      {
        actors: ids.map((id) => ({ id, name: id, kind: 'person' as const, aliases: [] })),
        affiliations: [],
        topics: [{ id: 'tariffs', title: 'Tariffs', proposition: 'Tariffs should rise', stances: STANCES }],
        statements: ids.map((actorId, i) => ({ actorId, topicId: 'tariffs', stance: i % 3 ? 'for' : 'against', statedOn: `2024-${String((i % 12) + 1).padStart(2, '0')}-10`, summary: 's', source: { title: 'x' } })),
      },
      'test',
    );
  }, 60_000);
  afterAll(() => app.close());

  const pieces = Math.ceil(ACTORS / ACTORS_PER_PIECE);

  it('answers an empty landscape as known before any statement piece by piece, letting other work in', async () => {
    // Asked for "the next actors with a statement known then", the index read the whole topic in one go: 60-380 ms at 1,000,000 statements.
    const { result, turns } = await turnsDuring<LandscapeAnswer>(() => app.get(QueryBus).execute(new TopicLandscapeQuery('tariffs', '2024-12-31', '2025-01-01T00:00:00Z')));
    expect(result).toMatchObject({ positions: [], next: null });
    expect(turns).toBeGreaterThanOrEqual(pieces - 1);
  });

  it('answers a landscape at a date when only some actors had spoken: each of them, as positionAt does', async () => {
    const { result, turns } = await turnsDuring<LandscapeAnswer>(() => app.get(QueryBus).execute(new TopicLandscapeQuery('tariffs', '2024-01-31')));
    const spoken = ids.filter((_, i) => i % 12 === 0);
    expect(result.positions.map((p) => p.actorId)).toEqual(spoken);
    expect(result.next).toBeNull();
    expect(turns).toBeGreaterThanOrEqual(pieces - 1);
    for (const entry of result.positions.filter((_, i) => i % 20 === 0)) {
      const position = await app.get(QueryBus).execute(new PositionAtQuery(entry.actorId, 'tariffs', '2024-01-31'));
      expect(entry).toMatchObject({ stance: position.stance, statementId: position.statement?.statementId });
    }
  });

  it('answers the changes between two dates when only some actors changed, piece by piece', async () => {
    const { result, turns } = await turnsDuring<ChangesAnswer>(() => app.get(QueryBus).execute(new TopicChangesQuery('tariffs', '2024-01-31', '2024-02-29')));
    expect(result.changes.map((c) => c.actorId)).toEqual(ids.filter((_, i) => i % 12 === 1));
    expect(result.changes.every((c) => c.before === null && c.after !== null)).toBe(true);
    expect(result.next).toBeNull();
    expect(turns).toBeGreaterThanOrEqual(pieces - 1);
  });
});
