import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { usageError } from './cli-errors';

export type StoreKind = 'sqlite' | 'eventstoredb';

/** Where the CLI finds the record and who it writes as: the service's variables (docs/api.md, "Configuration"). */
export interface CliConfig {
  store: StoreKind;
  /** The folder of `events.db` (embedded store) and `views.db` (read models, with either store). */
  dataDir: string;
  connectionString: string | null;
  /** `cli:{os user}`: the `recordedBy` of every event the CLI writes. */
  recordedBy: string;
  verbose: boolean;
}

export interface GlobalOptions {
  dataDir?: string;
  verbose?: boolean;
}

export function loadCliConfig(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliConfig {
  return {
    store: storeKind(env.EVENT_STORE),
    dataDir: resolve(options.dataDir ?? (env.DATA_DIR || './data')),
    connectionString: env.EVENTSTORE_CONNECTION_STRING || null,
    recordedBy: `cli:${osUser(env)}`,
    verbose: options.verbose ?? false,
  };
}

function storeKind(value: string | undefined): StoreKind {
  if (value === undefined || value === '' || value === 'sqlite') return 'sqlite';
  if (value === 'eventstoredb' || value === 'kurrentdb') return 'eventstoredb';
  throw usageError(`EVENT_STORE must be one of sqlite, eventstoredb, kurrentdb, got '${value}'`);
}

/** The login name; containers without a passwd entry make `userInfo` throw, so fall back on the usual variables. */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || env.USERNAME || 'unknown';
  }
}
