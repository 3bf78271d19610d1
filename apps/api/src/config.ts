import { type StoreSettings, StoreSettingsError, storeSettingsFromEnv } from '@positions/event-store';
import { resolve } from 'node:path';

export type ReadAccess = 'public' | 'key';

/** The service's settings, read once from the environment (docs/api.md, "Configuration"). */
export interface AppConfig {
  port: number;
  host: string;
  /** Which store of record, and where (EVENT_STORE and its variables; opened by the event-store library's factory). */
  store: StoreSettings;
  dataDir: string;
  /** Raw `API_KEYS`; null: a generated admin key in `DATA_DIR/admin.key`. */
  apiKeys: string | null;
  /** Raw `KEY_ID_SECRET`; null: `DATA_DIR/keyid.secret`, generated on the first start. */
  keyIdSecret: string | null;
  readAccess: ReadAccess;
  /** Requests per minute per key or address; 0: off (the failure budget too). */
  rateLimit: number;
  /** Failed authentications (401, 403) per minute per address before the address is refused; 0: off. */
  authFailureLimit: number;
  /** Fastify's `trustProxy`: whether (or through which proxies) the client address comes from `X-Forwarded-For`. */
  trustProxy: boolean | string[];
  /** How long a client may take to send a whole request (headers and body), in milliseconds. */
  requestTimeoutMs: number;
  /** Behind a TLS-terminating proxy: send HSTS and ask browsers to upgrade insecure requests. */
  behindTls: boolean;
  seedDemo: boolean;
  /** pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. */
  logLevel: string;
  /** Origins allowed to call the API from a browser; none (no CORS) unless configured. */
  corsOrigins: string[];
  /** `WEBHOOK_ALLOW_PRIVATE=true`: webhooks may target loopback, link-local and private addresses. */
  webhookAllowPrivate: boolean;
}

/** A setting that cannot be understood: the service refuses to start and says which. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    store: storeSettings(env, dataDir),
    dataDir,
    apiKeys: env.API_KEYS?.trim() || null,
    keyIdSecret: env.KEY_ID_SECRET || null,
    readAccess: oneOf(env, 'READ_ACCESS', ['public', 'key'] as const, 'public'),
    rateLimit: integer(env, 'RATE_LIMIT', 6000, 0, Number.MAX_SAFE_INTEGER),
    authFailureLimit: integer(env, 'AUTH_FAILURE_LIMIT', 30, 0, Number.MAX_SAFE_INTEGER),
    trustProxy: trustProxy(env.TRUST_PROXY),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT', 30, 1, 3600) * 1000,
    behindTls: oneOf(env, 'BEHIND_TLS', ['true', 'false'] as const, 'false') === 'true',
    seedDemo: oneOf(env, 'SEED_DEMO', ['true', 'false'] as const, 'true') === 'true',
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    webhookAllowPrivate: oneOf(env, 'WEBHOOK_ALLOW_PRIVATE', ['true', 'false'] as const, 'false') === 'true',
  };
}

function storeSettings(env: NodeJS.ProcessEnv, dataDir: string): StoreSettings {
  try {
    return storeSettingsFromEnv(env, dataDir);
  } catch (error) {
    if (error instanceof StoreSettingsError) throw new ConfigError(error.message);
    throw error;
  }
}

/** `false` (default), `true` (trust every hop), or the proxies' addresses or CIDR ranges, comma-separated. */
function trustProxy(raw: string | undefined): boolean | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  const addresses = value.split(',').map((a) => a.trim());
  if (addresses.some((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(`TRUST_PROXY must be true, false, or the proxies' addresses (CIDR allowed), comma-separated; got '${value}'`);
  }
  return addresses;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}
