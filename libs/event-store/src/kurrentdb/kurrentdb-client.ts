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

/**
 * The connection string without its password, for messages and logs: everything between the
 * scheme and the last `@` is user info (a password may hold `/`, `?` or `@` the parsers disagree on).
 */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^([a-z+]+:\/\/)(.*)@/is, (_match, scheme: string, userInfo: string) => {
    const user = userInfo.split(':')[0];
    return `${scheme}${user}:***@`;
  });
}

export interface Credentials {
  username: string;
  password: string;
}

/**
 * The user name and password of a connection string, percent-decoded as the client's own parser
 * (used for appends) decodes them; null when it has none.
 */
export function credentialsOf(connectionString: string): Credentials | null {
  const match = /^[a-z+]+:\/\/([^:@/?#]*):(.*)@[^@]*$/is.exec(connectionString.trim());
  if (!match) return null;
  return { username: decodeURIComponent(match[1]), password: decodeURIComponent(match[2]) };
}

/** A client for `connectionString`; connects lazily, so this does not reach the server. */
export function createKurrentClient(connectionString: string): KurrentClient {
  const client = KurrentDBClient.connectionString(normalizeConnectionString(connectionString));
  return withReadCredentials(client, credentialsOf(connectionString));
}

/**
 * Reads run on the client's native bridge, whose own connection-string parser leaves a
 * percent-encoded password encoded (appends and subscriptions decode it): every read carries the
 * decoded credentials, as the client allows per call.
 */
export function withReadCredentials(client: KurrentClient, credentials: Credentials | null): KurrentClient {
  if (!credentials) return client;
  return {
    appendToStream: (streamName, events, options) => client.appendToStream(streamName, events, options),
    readStream: (streamName, options) => client.readStream(streamName, { credentials, ...options }),
    readAll: (options) => client.readAll({ credentials, ...options }),
    subscribeToAll: (options) => client.subscribeToAll(options),
    dispose: () => client.dispose(),
  };
}
