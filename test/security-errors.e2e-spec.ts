import { SqliteEventStore } from '@positions/event-store/sqlite';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { startService, type TestService } from './support/app-harness';
import { ok } from './support/world';

/** The real SQLite store, with a switch that makes SQLite itself refuse writes (`PRAGMA query_only`). */
function refusingStore(dataDir: string) {
  const store = SqliteEventStore.open(join(dataDir, 'events.db'));
  const { db } = store as unknown as { db?: Database.Database };
  if (!db) throw new Error('SqliteEventStore no longer has `db`: update refusingStore() to its internals');
  return { store, refuseWrites: (refuse: boolean) => db.pragma(`query_only = ${refuse ? 1 : 0}`) };
}

describe('errors: no file paths or SQLite messages in answers; /health reports a store that refuses writes', () => {
  let service: TestService;
  let switchable: ReturnType<typeof refusingStore>;

  beforeAll(async () => {
    service = await startService({ openStore: (dataDir) => (switchable = refusingStore(dataDir)).store });
    await ok(service.post('/api/actors', { id: 'before', name: 'Before', kind: 'person' }));
  });
  afterAll(() => service.close());

  it('answers 503 naming the fault in plain words, without the data folder or the SQLite message', async () => {
    switchable.refuseWrites(true);
    const answer = await service.post('/api/actors', { id: 'during', name: 'During', kind: 'person' });
    expect(answer.status).toBe(503);
    expect(answer.body.message).toMatch(/nothing was written.*read-only/);
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain(service.dataDir);
    expect(text).not.toContain('events.db');
    expect(text).not.toMatch(/attempt to write a readonly database/i);
  });

  it('reports the refused writes on /health (503), without internals', async () => {
    const health = await service.get('/health', null);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', details: { writes: { status: 'down' } } });
    expect(JSON.stringify(health.body)).not.toContain(service.dataDir);
  });

  it('is healthy again once a command is written', async () => {
    switchable.refuseWrites(false);
    await ok(service.post('/api/actors', { id: 'after', name: 'After', kind: 'person' }));
    const health = await service.get('/health', null);
    expect(health.status).toBe(200);
    expect(health.body.details.writes).toEqual({ status: 'up' });
  });
});
