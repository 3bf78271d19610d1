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
jest.mock('./kurrentdb', () => ({ KurrentDbEventStore: { connect: mockConnect } }));

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

    it.each(['mysql', 'constructor', 'toString', 'SQLITE'])('refuses EVENT_STORE=%s, naming the variable', (name) => {
      const { storeSettingsFromEnv, StoreSettingsError } = library();
      expect(() => storeSettingsFromEnv({ EVENT_STORE: name }, '/data')).toThrow(StoreSettingsError);
      expect(() => storeSettingsFromEnv({ EVENT_STORE: name }, '/data')).toThrow(/EVENT_STORE must be one of sqlite, eventstoredb, kurrentdb/);
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
  });
});
