import { StoreUnavailableError } from '../event-store.port';

/**
 * SQLSTATE classes and codes meaning the database cannot be read or written right now (an
 * outage, answered 503 by the API); everything else is a bug or bad input. See the table of
 * PostgreSQL error codes: 08 connection exception, 53 insufficient resources, 57P operator
 * intervention (shutdown, restart), 28 invalid authorization, 3D000 no such database.
 */
const UNAVAILABLE_CLASSES: Readonly<Record<string, string>> = {
  '08': 'the connection to the database failed',
  '53': 'the database is out of resources (disk full, too many connections)',
  '57': 'the database is shutting down or restarting',
  '28': 'the database refused the credentials',
  '58': 'the database had a system error',
};
const UNAVAILABLE_CODES: Readonly<Record<string, string>> = {
  '3D000': 'the database does not exist',
  '25006': 'the database is read-only (a standby)',
  '40001': 'the transaction could not be serialised',
  '40P01': 'a deadlock was detected',
  '55P03': 'timed out waiting for another writer (lock timeout)',
};
/** Errors of the driver or the network, before any SQLSTATE: the server is unreachable or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const NETWORK_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /connection is closed/i];

export type PostgresFailure =
  | { kind: 'unavailable'; reason: string }
  | { kind: 'unique'; constraint: string; detail: string }
  | { kind: 'other' };

export function classifyPostgresError(error: unknown): PostgresFailure {
  if (typeof error !== 'object' || error === null) return { kind: 'other' };
  const { code, constraint, detail } = error as Record<string, unknown>;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return { kind: 'unavailable', reason: `the database cannot be reached (${code})` };
    if (code === '23505') return { kind: 'unique', constraint: String(constraint ?? ''), detail: String(detail ?? '') };
    const reason = UNAVAILABLE_CODES[code] ?? UNAVAILABLE_CLASSES[code.slice(0, 2)];
    if (/^[0-9A-Z]{5}$/.test(code)) return reason ? { kind: 'unavailable', reason: `${reason} (${code})` } : { kind: 'other' };
  }
  const message = messageOf(error);
  if (NETWORK_MESSAGES.some((pattern) => pattern.test(message))) return { kind: 'unavailable', reason: 'the connection to the database was lost' };
  return { kind: 'other' };
}

/** A StoreUnavailableError naming the action and the reason for outages; the original error otherwise. */
export function toStoreError(error: unknown, action: string): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const failure = classifyPostgresError(error);
  if (failure.kind !== 'unavailable') return error;
  return new StoreUnavailableError(`cannot ${action}: ${failure.reason}: ${messageOf(error)}`, error);
}

/** `Key (event_id)=(abc) already exists.` -> `abc`. */
export function keyValueOf(detail: string): string {
  return /^Key \([^)]*\)=\((.*)\) already exists\.?$/.exec(detail)?.[1] ?? '';
}

export function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable DATABASE_URL)';
  }
}
