/**
 * The boundary between the adapter and `@kurrent/kurrentdb-client`: the few calls the
 * adapter makes, typed narrowly so unit tests can hand in a fake object, and the
 * connection-string handling.
 */
import type {
  AllStreamResolvedEvent,
  AppendResult,
  AppendToStreamOptions,
  CaughtUp,
  EventData,
  ReadAllOptions as ClientReadAllOptions,
  ReadStreamOptions,
  ResolvedEvent,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';

/** What the adapter needs of a catch-up subscription to $all (a Node Readable in the client). */
export interface SubscriptionLike {
  on(event: 'data', listener: (resolved: AllStreamResolvedEvent) => void): unknown;
  on(event: 'caughtUp', listener: (info: CaughtUp) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  removeAllListeners(): unknown;
  unsubscribe(): Promise<void>;
}

/** The client calls the adapter makes; `KurrentDBClient` satisfies it. */
export interface KurrentClient {
  appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<AppendResult>;
  readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options: ClientReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options: SubscribeToAllOptions): SubscriptionLike;
  dispose(): Promise<void>;
}

/**
 * `esdb://` (EventStoreDB's scheme) as the client's own `kurrentdb://`: the client still
 * accepts `esdb` but prints a deprecation warning on every connection.
 */
export function normalizeConnectionString(connectionString: string): string {
  return connectionString.trim().replace(/^esdb(\+discover)?:\/\//i, (_match, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
}

/** The connection string without its password, for messages and logs. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^([a-z+]+:\/\/)([^@/?]*)@/i, (_match, scheme: string, userInfo: string) => {
    const user = userInfo.split(':')[0];
    return `${scheme}${user}:***@`;
  });
}

/** A client for `connectionString`; connects lazily, so this does not reach the server. */
export function createKurrentClient(connectionString: string): KurrentClient {
  return KurrentDBClient.connectionString(normalizeConnectionString(connectionString));
}
