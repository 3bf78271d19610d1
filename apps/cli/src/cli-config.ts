import { type StoreSettings, StoreSettingsError, storeSettingsFromEnv } from '@positions/event-store';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { usageError } from './cli-errors';

/** Where the CLI finds the record and who it writes as: the service's variables (docs/api.md, "Configuration"). */
export interface CliConfig {
  /** Which store of record, read from the service's variables by the event-store library, so both read the same. */
  store: StoreSettings;
  /** The folder of `events.db` (embedded store) and `views.db` (read models, with either store). */
  dataDir: string;
  /** `cli:{os user}`: the `recordedBy` of every event the CLI writes. */
  recordedBy: string;
  verbose: boolean;
}

export interface GlobalOptions {
  dataDir?: string;
  verbose?: boolean;
}

export function loadCliConfig(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliConfig {
  const dataDir = resolve(options.dataDir ?? (env.DATA_DIR || './data'));
  return {
    store: storeSettings(env, dataDir),
    dataDir,
    recordedBy: `cli:${osUser(env)}`,
    verbose: options.verbose ?? false,
  };
}

function storeSettings(env: NodeJS.ProcessEnv, dataDir: string): StoreSettings {
  try {
    return storeSettingsFromEnv(env, dataDir);
  } catch (error) {
    if (error instanceof StoreSettingsError) throw usageError(error.message);
    throw error;
  }
}

/** The login name; containers without a passwd entry make `userInfo` throw, so fall back on the usual variables. */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || env.USERNAME || 'unknown';
  }
}
