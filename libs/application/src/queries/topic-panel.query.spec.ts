import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { MemoryEventStore } from '@positions/event-store';
import { turnsDuring } from '@positions/testing';
import { ApplicationModule } from '../application.module';
import { DataSetLoader } from '../data-set/data-set.loader';
import { PositionAtQuery } from './position-at.query';
import { type PanelRow, type TopicPanel, TopicPanelQuery } from './topic-panel.query';

const NOW = new Date('2025-03-01T12:00:00.000Z');
/** Over two thousand: its speakers are counted in three pieces of the index. */
const ACTORS = 2100;
const STANCES = [
  { code: 'for', label: 'For', score: 1 },
  { code: 'against', label: 'Against', score: -1 },
];

describe('TopicPanelQuery on a topic with many actors', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    app = await NestFactory.createApplicationContext(ApplicationModule.forRoot({ openStore: () => store, viewsFile: ':memory:', clock: () => NOW }), { logger: false });
    const ids = Array.from({ length: ACTORS }, (_, i) => `actor-${String(i).padStart(4, '0')}`);
    await app.get(DataSetLoader).load(
      {
        actors: ids.map((id) => ({ id, name: id, kind: 'person' as const, aliases: [] })),
        affiliations: [],
        topics: [{ id: 'tariffs', title: 'Tariffs', proposition: 'Tariffs should rise', stances: STANCES }],
        statements: ids.map((actorId, i) => ({ actorId, topicId: 'tariffs', stance: i % 3 ? 'for' : 'against', statedOn: `2024-0${(i % 9) + 1}-10`, summary: 's', source: { title: 'x' } })),
      },
      'test',
    );
  }, 60_000);
  afterAll(() => app.close());

  it('gives its rows between pauses, letting other work in, each the position at the period end', async () => {
    const panel: TopicPanel = await app.get(QueryBus).execute(new TopicPanelQuery('tariffs', '2024-01-01', '2024-12-31', 'year'));
    const rows: PanelRow[] = [];
    const { turns } = await turnsDuring(async () => {
      for await (const batch of panel.rows) rows.push(...batch);
    });

    expect(rows).toHaveLength(ACTORS);
    // One pause at least every 100 actors.
    expect(turns).toBeGreaterThanOrEqual(Math.floor(ACTORS / 100));
    for (const row of rows.filter((_, i) => i % 150 === 0)) {
      const position = await app.get(QueryBus).execute(new PositionAtQuery(row.actorId, 'tariffs', '2024-12-31'));
      expect(row).toMatchObject({ period: '2024', stance: position.stance?.code ?? null, statementId: position.statement?.statementId ?? null });
    }
  });

  it('counts its speakers between pauses before it refuses a panel over a million rows', async () => {
    // 2,100 actors × 731 days. Counting the 10,000 speakers of a topic in one read held the service for 68 ms.
    const { result, turns } = await turnsDuring(() => app.get(QueryBus).execute(new TopicPanelQuery('tariffs', '2023-01-01', '2024-12-31', 'day')).catch((error: unknown) => error));
    expect(result).toMatchObject({ field: 'from', message: expect.stringContaining(`${ACTORS} actors × 731 periods`) });
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('counts no speaker as known before any statement, reading the topic a range of actors per turn', async () => {
    // Asked as "the next thousand speakers known then", the index was read to the end of the topic in one turn.
    const { result, turns } = await turnsDuring<TopicPanel>(() => app.get(QueryBus).execute(new TopicPanelQuery('tariffs', '2024-01-01', '2024-12-31', 'year', '2025-01-01T00:00:00Z')));
    expect(result.rowCount).toBe(0);
    const rows: PanelRow[] = [];
    for await (const batch of result.rows) rows.push(...batch);
    expect(rows).toEqual([]);
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
