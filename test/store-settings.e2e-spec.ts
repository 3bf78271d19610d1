import { loadConfig } from '../apps/api/src/config';
import { loadCliConfig } from '../apps/cli/src/cli-config';

/** The service and the CLI must open the same store from the same environment (the CLI once dropped EVENTSTORE_NAMESPACE). */
describe('store settings, service and CLI alike', () => {
  it.each([
    { DATA_DIR: '/srv/positions' },
    { DATA_DIR: '/srv/positions', EVENT_STORE: 'kurrentdb', EVENTSTORE_CONNECTION_STRING: 'kurrentdb://db:2113?tls=false', EVENTSTORE_NAMESPACE: 'newsroom' },
    { DATA_DIR: '/srv/positions', EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false' },
    { DATA_DIR: '/srv/positions', EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://positions@db:5432/newsroom', DATABASE_SCHEMA: 'record_2' },
  ])('%o', (env) => {
    expect(loadCliConfig({}, env).store).toEqual(loadConfig(env).store);
  });

  it('refuses a KurrentDB store without its connection string in both, naming the variable', () => {
    const env = { EVENT_STORE: 'kurrentdb' };
    expect(() => loadConfig(env)).toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(() => loadCliConfig({}, env)).toThrow(/EVENTSTORE_CONNECTION_STRING/);
  });

  it('refuses a PostgreSQL store without DATABASE_URL in both, naming the variable', () => {
    const env = { EVENT_STORE: 'postgres' };
    expect(() => loadConfig(env)).toThrow(/DATABASE_URL/);
    expect(() => loadCliConfig({}, env)).toThrow(/DATABASE_URL/);
  });
});
