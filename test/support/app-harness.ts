import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/app';
import { type AppConfig, loadConfig } from '../../apps/api/src/config';
import type { EventStore, StoreSettings } from '@positions/event-store';
import { dropSchema } from '../../libs/event-store/src/postgres/testing/postgres-cluster';

export const KEYS = {
  admin: 'test-admin-key-0001',
  editor: 'test-editor-key-0001',
  recorder: 'test-recorder-key-0001',
  reader: 'test-reader-key-0001',
} as const;

export type KeyRole = keyof typeof KEYS;

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestService {
  app: NestFastifyApplication;
  dataDir: string;
  config: AppConfig;
  get<T = any>(url: string, as?: KeyRole | null, headers?: Record<string, string>): Promise<Answer<T>>;
  post<T = any>(url: string, body: unknown, as?: KeyRole | null, headers?: Record<string, string>): Promise<Answer<T>>;
  /** Stops the app, keeping the data folder. */
  stop(): Promise<void>;
  /** Stops the app and deletes the data folder. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a data folder (a restart); default: a fresh temp folder. */
  dataDir?: string;
  /**
   * Environment on top of the defaults (API_KEYS with the four test keys, SEED_DEMO=false, AUTH_FAILURE_LIMIT=0: every
   * injected request comes from one address, and suites that check refusals would use up its budget).
   */
  env?: Record<string, string>;
  /** The clock of recording; default: the real one. */
  clock?: () => Date;
  /** Variables to leave unset, whatever the defaults say (e.g. `API_KEYS`, to get the generated admin key). */
  unsetEnv?: string[];
  /** Replaces the configured store (a store double), given the data folder and the store the environment configures. */
  openStore?: (dataDir: string, settings: StoreSettings) => EventStore | Promise<EventStore>;
  /** Serves the web page from this folder instead of the package's `dist/web`. */
  webAppDir?: string;
}

/**
 * With `EVENTSTORE_CONNECTION_STRING` set, the suites run on that KurrentDB server instead of
 * SQLite, each service in a namespace of its own (a restart on the same data folder keeps it).
 */
export const ON_KURRENTDB = Boolean(process.env.EVENTSTORE_CONNECTION_STRING);

function kurrentDbEnv(dataDir: string): Record<string, string> {
  if (!ON_KURRENTDB) return {};
  const namespace = `e2e-${dataDir.replace(/[^a-zA-Z0-9]/g, '').slice(-12)}-`;
  return { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: process.env.EVENTSTORE_CONNECTION_STRING as string, EVENTSTORE_NAMESPACE: namespace };
}

/**
 * With `E2E_STORE=postgres`, the suites run on the PostgreSQL that `POSTGRES_TEST_URL` names
 * (.ci/run starts one), each service in a schema of its own named after its data folder (a
 * restart on the same folder keeps it), dropped when the service is closed.
 */
export const ON_POSTGRES = process.env.E2E_STORE === 'postgres';

/** The suites run on the embedded SQLite file (tests that open events.db themselves need it). */
export const ON_SQLITE = !ON_KURRENTDB && !ON_POSTGRES;

function postgresEnv(dataDir: string): Record<string, string> {
  if (!ON_POSTGRES) return {};
  const url = process.env.POSTGRES_TEST_URL;
  if (!url) throw new Error('E2E_STORE=postgres needs POSTGRES_TEST_URL, the URL of a PostgreSQL to test against (.ci/run starts one)');
  return { EVENT_STORE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: postgresSchemaOf(dataDir) };
}

/** The schema of the service on `dataDir`: the same for a restart on that folder. */
export function postgresSchemaOf(dataDir: string): string {
  return `e2e_${createHash('sha256').update(dataDir).digest('hex').slice(0, 20)}`;
}

/** Starts the real service on a temp SQLite store and talks to it over HTTP (Fastify inject). */
export async function startService(options: StartOptions = {}): Promise<TestService> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'positions-e2e-'));
  const apiKeys = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',');
  const env: Record<string, string> = { DATA_DIR: dataDir, API_KEYS: apiKeys, SEED_DEMO: 'false', LOG_LEVEL: 'silent', AUTH_FAILURE_LIMIT: '0', ...kurrentDbEnv(dataDir), ...postgresEnv(dataDir), ...options.env };
  for (const name of options.unsetEnv ?? []) delete env[name];
  const config = loadConfig(env);
  const openStore = options.openStore;
  const app = await createApp(config, { clock: options.clock ?? (() => new Date()), ...(openStore && { openStore: () => openStore(dataDir, config.store) }), webAppDir: options.webAppDir });
  const send = async (method: 'GET' | 'POST', url: string, body: unknown, as: KeyRole | null | undefined, headers: Record<string, string> = {}) => {
    const auth: Record<string, string> = as ? { authorization: `Bearer ${KEYS[as]}` } : {};
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const contentType: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
    const response = await app.inject({ method, url, payload, headers: { ...contentType, ...auth, ...headers } });
    const text = response.body;
    return { status: response.statusCode, body: (text ? safeJson(text) : undefined) as any, headers: response.headers };
  };
  let stopped = false;
  const stop = async () => {
    if (!stopped) await app.close();
    stopped = true;
  };
  return {
    app,
    dataDir,
    config,
    get: (url, as = 'reader', headers) => send('GET', url, undefined, as, headers),
    post: (url, body, as = 'recorder', headers) => send('POST', url, body, as, headers),
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (config.store.kind === 'postgres' && config.store.connectionString && config.store.schema) await dropSchema(config.store.connectionString, config.store.schema);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
