/**
 * Which store the benchmark runs on: `--store sqlite` (default) or `--store postgres`. For
 * PostgreSQL: the database POSTGRES_TEST_URL (or DATABASE_URL) names, else a throwaway cluster
 * started here with fsync on (a fair match for SQLite's synchronous=FULL), one schema per data
 * folder, so the service, the CLI and the rebuild worker on one folder share one record.
 */
import { createHash } from 'node:crypto';
import { startTestPostgres, type TestPostgres } from '../../libs/event-store/src/postgres/testing/postgres-cluster';
import { log } from './measure';

export type BenchStore = 'sqlite' | 'postgres';

export const STORE: BenchStore = (() => {
  const at = process.argv.indexOf('--store');
  const name = at === -1 ? 'sqlite' : process.argv[at + 1];
  if (name !== 'sqlite' && name !== 'postgres') throw new Error(`--store must be sqlite or postgres, got ${String(name)}`);
  return name;
})();

let database: TestPostgres | null = null;

/** Starts (or finds) the database of `--store postgres`; nothing for SQLite. */
export async function setUpStore(): Promise<void> {
  if (STORE !== 'postgres') return;
  const started = await startTestPostgres({ durable: true });
  if ('unavailable' in started) throw new Error(`--store postgres: ${started.unavailable}`);
  database = started;
  log(`store: PostgreSQL at ${database.url} (${database.origin})`);
}

export async function tearDownStore(): Promise<void> {
  await database?.stop();
}

/** The store variables of the service and the CLI working on `dataDir`. */
export function storeEnv(dataDir: string): Record<string, string> {
  if (STORE !== 'postgres') return {};
  if (!database) throw new Error('setUpStore() first');
  return { EVENT_STORE: 'postgres', DATABASE_URL: database.url, DATABASE_SCHEMA: `bench_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}` };
}
