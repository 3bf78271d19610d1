import type { AppendStreamState, CurrentStreamState } from '@kurrent/kurrentdb-client';
import { ANY, NO_STREAM } from '@kurrent/kurrentdb-client';
import { ExpectedPosition, StoreUnavailableError, WrongExpectedPositionError } from '../event-store.port';

/** The port's expected stream position as the client's expected stream state. */
export function toStreamState(expected: ExpectedPosition): AppendStreamState {
  if (expected === 'any') return ANY;
  if (!Number.isSafeInteger(expected) || expected < -1) {
    throw new RangeError(`an expected position is 'any', -1 or a stream position >= 0, got ${String(expected)}`);
  }
  return expected === -1 ? NO_STREAM : BigInt(expected);
}

/** The client's current stream state as the port's last stream position (-1: no stream). */
export function toStreamPosition(state: CurrentStreamState): number {
  return state === NO_STREAM ? -1 : Number(state);
}

/**
 * Why the store cannot be used right now, by the client's error `type`. These are the
 * failures of the connection or the cluster, not of the request: a retry later may succeed.
 * `unknown` is here because the client's native reader reports transport failures it does
 * not recognise that way; `access-denied` because it means wrong credentials in the
 * connection string, which only the operator can fix.
 */
const UNAVAILABLE_REASONS: Readonly<Record<string, string>> = {
  unavailable: 'the server cannot be reached',
  'deadline-exceeded': 'the server did not answer before the deadline',
  timeout: 'the server timed out replicating the write',
  cancelled: 'the call was cancelled (connection lost)',
  'not-leader': 'the node is no longer the cluster leader (an election may be under way)',
  unknown: 'the client reported an unexpected failure',
  'access-denied': 'access was denied (check the credentials in EVENTSTORE_CONNECTION_STRING)',
};

/** gRPC status codes of raw errors the client passes through unconverted (seen on appends). */
const GRPC_UNAVAILABLE: Readonly<Record<number, string>> = {
  1: 'cancelled',
  4: 'deadline-exceeded',
  14: 'unavailable',
};

/** Node socket errors that mean the same. */
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

export type KurrentFailure =
  | { kind: 'conflict'; actual: number }
  | { kind: 'stream-not-found' }
  | { kind: 'unavailable'; type: string; reason: string }
  | { kind: 'other' };

/** No read came back within the adapter's own deadline (the native reader takes none). */
export class ReadTimeoutError extends Error {
  readonly type = 'deadline-exceeded';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ReadTimeoutError';
  }
}

/**
 * Classified by shape (`type`, `code`), not `instanceof`: jest and bundlers may load a
 * second copy of the client, and raw gRPC errors reach us unconverted on some paths.
 */
export function classifyKurrentError(error: unknown): KurrentFailure {
  if (typeof error !== 'object' || error === null) return { kind: 'other' };
  const { type, code, actualState } = error as Record<string, unknown>;
  if (type === 'wrong-expected-version') {
    return { kind: 'conflict', actual: toStreamPosition(actualState as CurrentStreamState) };
  }
  if (type === 'stream-not-found') return { kind: 'stream-not-found' };
  const unavailableType =
    (typeof type === 'string' && type in UNAVAILABLE_REASONS && type) ||
    (typeof code === 'number' && GRPC_UNAVAILABLE[code]) ||
    (typeof code === 'string' && SOCKET_UNAVAILABLE.has(code) && 'unavailable');
  if (unavailableType) return { kind: 'unavailable', type: unavailableType, reason: UNAVAILABLE_REASONS[unavailableType] };
  return { kind: 'other' };
}

/**
 * The error to throw for a failure while doing `action` (e.g. "append to stream actor-x"):
 * the port's conflict or outage when it is one, the original error otherwise.
 */
export function toStoreError(error: unknown, action: string, streamId?: string, expected?: ExpectedPosition): unknown {
  const failure = classifyKurrentError(error);
  if (failure.kind === 'conflict' && streamId !== undefined && expected !== undefined) {
    return new WrongExpectedPositionError(streamId, expected, failure.actual);
  }
  if (isTooLarge(error)) {
    const limit = (error as { maxAppendSize?: unknown }).maxAppendSize;
    return new RangeError(`cannot ${action} in KurrentDB: the events are larger than the server accepts in one append${typeof limit === 'number' ? ` (${limit} bytes)` : ''}`);
  }
  if (failure.kind !== 'unavailable') return error;
  return new StoreUnavailableError(`cannot ${action} in KurrentDB: ${failure.reason} (${failure.type}: ${messageOf(error)})`, error, `${failure.reason} (${failure.type})`);
}

/**
 * Whether a failed append certainly wrote nothing: the server refused it. A node that is not
 * the leader, or credentials it denies, refuse before writing. Outages are not refusals: a
 * write whose answer was lost may still have been committed.
 */
export function refusedByServer(error: unknown): boolean {
  if (classifyKurrentError(error).kind === 'conflict') return true;
  const type = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).type : undefined;
  return typeof type === 'string' && REFUSALS.has(type);
}

const REFUSALS = new Set([
  'stream-deleted',
  'stream-tombstoned',
  'maximum-append-size-exceeded',
  'invalid-argument',
  'missing-required-metadata-property',
  'not-leader',
  'access-denied',
]);

function isTooLarge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<string, unknown>).type === 'maximum-append-size-exceeded';
}

export function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : undefined;
  return typeof message === 'string' && message !== '' ? message : String(error);
}
