import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mockLoaded = new Set<string>();
const mockConnect = jest.fn();
jest.mock('better-sqlite3', () => {
  mockLoaded.add('better-sqlite3');
  return jest.requireActual('better-sqlite3');
});
jest.mock('@kurrent/kurrentdb-client', () => {
  mockLoaded.add('@kurrent/kurrentdb-client');
  return jest.requireActual('@kurrent/kurrentdb-client');
});
jest.mock('pg', () => {
  mockLoaded.add('pg');
  return jest.requireActual('pg');
});
jest.mock('./kurrentdb', () => ({ KurrentDbEventStore: { connect: mockConnect } }));
jest.mock('./postgres', () => ({ PostgresEventStore: { connect: mockConnect } }));

type Library = typeof import('./index');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry per test, to see which drivers loading the library pulls in
const library = (): Library => require('./index') as Library;

describe('the store factory', () => {
  beforeEach(() => {
    jest.resetModules();
    mockLoaded.clear();
    mockConnect.mockReset();
  });

  it('loads no database driver until a store is opened', () => {
    library();
    expect([...mockLoaded]).toEqual([]);
  });

  describe('settings from the environment', () => {
    it('defaults to the embedded store in the data folder', () => {
      expect(library().storeSettingsFromEnv({}, '/data')).toEqual({ kind: 'sqlite', dataDir: '/data', connectionString: null, namespace: '' });
    });

    it('reads kurrentdb as eventstoredb, with its connection string and namespace', () => {
      const env = { EVENT_STORE: 'kurrentdb', EVENTSTORE_CONNECTION_STRING: 'kurrentdb://db:2113?tls=false', EVENTSTORE_NAMESPACE: 'newsroom' };
      expect(library().storeSettingsFromEnv(env, '/data')).toEqual({
        kind: 'eventstoredb',
        dataDir: '/data',
        connectionString: 'kurrentdb://db:2113?tls=false',
        namespace: 'newsroom',
      });
    });

    it.each(['mysql', 'constructor', 'toString', 'SQLITE', 'postgresql'])('refuses EVENT_STORE=%s, naming the variable', (name) => {
      const { storeSettingsFromEnv, StoreSettingsError } = library();
      expect(() => storeSettingsFromEnv({ EVENT_STORE: name }, '/data')).toThrow(StoreSettingsError);
      expect(() => storeSettingsFromEnv({ EVENT_STORE: name }, '/data')).toThrow(/EVENT_STORE must be one of sqlite, postgres, eventstoredb, kurrentdb/);
    });

    it('reads postgres with DATABASE_URL, in the schema positions unless DATABASE_SCHEMA names another', () => {
      const { storeSettingsFromEnv } = library();
      const url = 'postgres://positions:secret@db:5432/newsroom';
      expect(storeSettingsFromEnv({ EVENT_STORE: 'postgres', DATABASE_URL: url }, '/data')).toEqual({
        kind: 'postgres',
        dataDir: '/data',
        connectionString: url,
        namespace: '',
        schema: 'positions',
      });
      expect(storeSettingsFromEnv({ EVENT_STORE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: 'record_2' }, '/data').schema).toBe('record_2');
    });

    it.each([
      [{}, 'DATABASE_URL', /EVENT_STORE=postgres needs DATABASE_URL/],
      [{ DATABASE_URL: 'db:5432/positions' }, 'DATABASE_URL', /a postgres:\/\/ URL/],
      [{ DATABASE_URL: 'postgres://db/positions', DATABASE_SCHEMA: 'Record; DROP' }, 'DATABASE_SCHEMA', /DATABASE_SCHEMA must be/],
    ])('refuses a PostgreSQL store with %o before trying to open it, naming %s', (env, variable, message) => {
      const { storeSettingsFromEnv } = library();
      const attempt = () => storeSettingsFromEnv({ EVENT_STORE: 'postgres', ...env }, '/data');
      expect(attempt).toThrow(expect.objectContaining({ variable }));
      expect(attempt).toThrow(message);
    });

    it('refuses a KurrentDB store without a connection string before trying to open it', () => {
      const { storeSettingsFromEnv } = library();
      expect(() => storeSettingsFromEnv({ EVENT_STORE: 'eventstoredb' }, '/data')).toThrow(
        expect.objectContaining({ variable: 'EVENTSTORE_CONNECTION_STRING' }),
      );
    });
  });

  describe('opening', () => {
    let dataDir: string;
    beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'open-store-'))));
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('opens the embedded store as events.db in the data folder, with the given clock', async () => {
      const { openStore, storeSettingsFromEnv } = library();
      const now = new Date('2025-02-26T12:00:00.000Z');
      const store = await openStore(storeSettingsFromEnv({}, dataDir), { clock: () => now });
      try {
        await store.append('actor-1', [{ type: 'Noted', schemaVersion: 1, data: {} }], -1, {
          recordedBy: 'test',
          correlationId: 'c1',
          causationId: null,
        });
        const [event] = await store.readStream('actor-1');
        expect(event.recordedAt).toBe(now.toISOString());
      } finally {
        await store.close();
      }
      expect(existsSync(join(dataDir, 'events.db'))).toBe(true);
      expect(mockLoaded.has('better-sqlite3')).toBe(true);
    });

    it('passes the namespace to KurrentDB, whoever opens it (the CLI once dropped it)', async () => {
      const { openStore, storeSettingsFromEnv } = library();
      const settings = storeSettingsFromEnv(
        { EVENT_STORE: 'kurrentdb', EVENTSTORE_CONNECTION_STRING: 'kurrentdb://db:2113?tls=false', EVENTSTORE_NAMESPACE: 'newsroom' },
        dataDir,
      );
      await openStore(settings);
      expect(mockConnect).toHaveBeenCalledWith('kurrentdb://db:2113?tls=false', expect.objectContaining({ namespace: 'newsroom' }));
    });

    it('opens PostgreSQL at DATABASE_URL in its schema, with the given clock', async () => {
      const { openStore, storeSettingsFromEnv } = library();
      const clock = () => new Date('2025-02-26T12:00:00.000Z');
      await openStore(storeSettingsFromEnv({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://db/newsroom', DATABASE_SCHEMA: 'record_2' }, dataDir), { clock });
      expect(mockConnect).toHaveBeenCalledWith('postgres://db/newsroom', { clock, schema: 'record_2' });
      expect(existsSync(join(dataDir, 'events.db'))).toBe(false);
    });
  });
});
