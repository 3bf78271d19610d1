/**
 * The EventStore contract against a real KurrentDB (or EventStoreDB) server, when
 * EVENTSTORE_CONNECTION_STRING names one, e.g.
 *
 *   docker compose up -d kurrentdb
 *   EVENTSTORE_CONNECTION_STRING='kurrentdb://localhost:2113?tls=false' npx jest libs/event-store/src/kurrentdb
 *
 * Each test gets its own namespace (a stream prefix), so the tests share one database
 * without seeing each other's events. Without a server the suite is reported skipped, by name.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { describeEventStoreContract } from '../event-store.contract';
import { StoreUnavailableError } from '../event-store.port';
import { normalizeConnectionString, redactConnectionString } from './kurrentdb-client';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract(
    'kurrentdb (server from EVENTSTORE_CONNECTION_STRING)',
    async (clock) => {
      const options = { clock, namespace: `contract-${randomUUID()}-`, onSubscriptionDrop: () => undefined };
      const opened = [await KurrentDbEventStore.connect(connectionString, options)];
      return {
        store: opened[0],
        reopen: async () => opened[opened.push(await KurrentDbEventStore.connect(connectionString, options)) - 1],
        cleanup: async () => {
          for (const store of opened) await store.close();
        },
      };
    },
    { durable: true, quietMs: 300 },
  );
} else {
  describe.skip('EventStore contract: kurrentdb (skipped: EVENTSTORE_CONNECTION_STRING is not set, no KurrentDB server to run against)', () => {
    it('runs the EventStore contract against a real KurrentDB server', () => undefined);
  });
}

/** A local port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('KurrentDbEventStore.connect without a reachable server (the real client)', () => {
  it('fails fast with a StoreUnavailableError naming the server, without its password', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await KurrentDbEventStore.connect(`kurrentdb://admin:s3cret@127.0.0.1:${port}?tls=false`, { connectTimeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`^KurrentDB at kurrentdb://admin:\\*\\*\\*@127\\.0\\.0\\.1:${port}\\?tls=false is unreachable: .*the server cannot be reached`));
    expect((error as Error).message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(5000);
  }, 15_000);

  it('gives up at the deadline when the server does not answer at all', async () => {
    // A listener that accepts connections and never speaks: a hung server or a black hole.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const error = await KurrentDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, { connectTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/is unreachable: no answer within 300 ms$/);
    } finally {
      silent.close();
    }
  }, 15_000);

  it('refuses a malformed connection string with a clear message', async () => {
    await expect(KurrentDbEventStore.connect('http://localhost:2113')).rejects.toThrow(/is not a valid KurrentDB connection string/);
  });
});

describe('connection strings', () => {
  it("maps EventStoreDB's esdb:// schemes to the client's kurrentdb://", () => {
    expect(normalizeConnectionString('esdb://localhost:2113?tls=false')).toBe('kurrentdb://localhost:2113?tls=false');
    expect(normalizeConnectionString(' esdb+discover://a:2113,b:2113 ')).toBe('kurrentdb+discover://a:2113,b:2113');
    expect(normalizeConnectionString('kurrentdb://localhost:2113')).toBe('kurrentdb://localhost:2113');
  });

  it('hides the password in messages', () => {
    expect(redactConnectionString('kurrentdb://admin:changeit@node1:2113,node2:2113?tls=true')).toBe('kurrentdb://admin:***@node1:2113,node2:2113?tls=true');
    expect(redactConnectionString('kurrentdb://node1:2113?tls=false')).toBe('kurrentdb://node1:2113?tls=false');
  });
});
