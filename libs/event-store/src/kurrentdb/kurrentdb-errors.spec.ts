import { createServer } from 'node:net';
import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  KurrentDBClient,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { StoreUnavailableError, WrongExpectedPositionError } from '../event-store.port';
import { ReadTimeoutError, classifyKurrentError, refusedByServer, toStoreError, toStreamPosition, toStreamState } from './kurrentdb-errors';

const wrongVersion = (current: bigint | 'no_stream') => new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current });

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('expected positions', () => {
  it('maps -1 to no_stream, n to the revision n, and any to any', () => {
    expect(toStreamState(-1)).toBe('no_stream');
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(41)).toBe(41n);
    expect(toStreamState('any')).toBe('any');
  });

  it('refuses positions the port does not define', () => {
    for (const bad of [-2, 1.5, Number.NaN]) expect(() => toStreamState(bad)).toThrow(RangeError);
  });

  it("maps the client's current state back: no_stream is -1", () => {
    expect(toStreamPosition('no_stream')).toBe(-1);
    expect(toStreamPosition(7n)).toBe(7);
  });
});

describe('classifyKurrentError', () => {
  it("reads the client's WrongExpectedVersionError as a conflict with the actual position", () => {
    expect(classifyKurrentError(wrongVersion('no_stream'))).toEqual({ kind: 'conflict', actual: -1 });
    expect(classifyKurrentError(wrongVersion(4n))).toEqual({ kind: 'conflict', actual: 4 });
  });

  it("reads the client's connection and cluster errors as outages", () => {
    const notLeader = new NotLeaderError({
      code: 5,
      details: 'Leader info available',
      message: 'not leader',
      metadata: { 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' },
    } as unknown as ConstructorParameters<typeof NotLeaderError>[0]);
    const cases: [Error, string][] = [
      [new UnavailableError(), 'unavailable'],
      [new DeadlineExceededError(), 'deadline-exceeded'],
      [new TimeoutError(), 'timeout'],
      [new CancelledError(), 'cancelled'],
      [notLeader, 'not-leader'],
      [new UnknownError(), 'unknown'],
      [new AccessDeniedError(), 'access-denied'],
      [new ReadTimeoutError(100), 'deadline-exceeded'],
    ];
    for (const [error, type] of cases) expect(classifyKurrentError(error)).toMatchObject({ kind: 'unavailable', type });
  });

  it('reads raw gRPC statuses and socket errors as outages', () => {
    expect(classifyKurrentError({ code: 14, details: 'No connection established', message: '14 UNAVAILABLE' })).toMatchObject({ kind: 'unavailable', type: 'unavailable' });
    expect(classifyKurrentError({ code: 4, message: 'deadline' })).toMatchObject({ type: 'deadline-exceeded' });
    expect(classifyKurrentError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ kind: 'unavailable' });
  });

  it('tells a missing stream, and leaves everything else alone', () => {
    expect(classifyKurrentError(new StreamNotFoundError(undefined, 's'))).toEqual({ kind: 'stream-not-found' });
    expect(classifyKurrentError(StreamDeletedError.fromStreamName('s'))).toEqual({ kind: 'other' });
    expect(classifyKurrentError(new RangeError('bad input'))).toEqual({ kind: 'other' });
    expect(classifyKurrentError({ code: 3 })).toEqual({ kind: 'other' });
    expect(classifyKurrentError('text')).toEqual({ kind: 'other' });
  });

  it('classifies what the real client throws when no server listens', async () => {
    const client = KurrentDBClient.connectionString(`kurrentdb://127.0.0.1:${await closedPort()}?tls=false`);
    try {
      const append = await client.appendToStream('s', { id: '0b5f1c2e-8a4d-4f7e-9c3b-2d1e0f9a8b7c', contentType: 'application/json', type: 'T', data: {}, metadata: undefined }).catch((e: unknown) => e);
      const read = await (async () => {
        for await (const _event of client.readStream('s')) return null;
      })().catch((e: unknown) => e);
      expect(classifyKurrentError(append)).toMatchObject({ kind: 'unavailable' });
      expect(classifyKurrentError(read)).toMatchObject({ kind: 'unavailable' });
    } finally {
      await client.dispose();
    }
  }, 20_000);
});

describe('toStoreError', () => {
  it("turns a conflict into the port's WrongExpectedPositionError", () => {
    const error = toStoreError(wrongVersion('no_stream'), 'append to stream s', 's', 0);
    expect(error).toBeInstanceOf(WrongExpectedPositionError);
    expect(error).toMatchObject({ streamId: 's', expected: 0, actual: -1 });
  });

  it('turns an outage into StoreUnavailableError naming the action and the reason, keeping the cause', () => {
    const cause = new UnavailableError();
    const error = toStoreError(cause, 'append to stream actor-x');
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/^cannot append to stream actor-x in KurrentDB: the server cannot be reached \(unavailable: /);
    expect((error as StoreUnavailableError).cause).toBe(cause);
  });

  it('turns an append over the server’s size limit into a RangeError naming the limit', () => {
    const error = toStoreError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), 'import events into stream s');
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ message: 'cannot import events into stream s in KurrentDB: the events are larger than the server accepts in one append (1048576 bytes)' });
  });

  it('passes other errors through', () => {
    const deleted = StreamDeletedError.fromStreamName('s');
    expect(toStoreError(deleted, 'append')).toBe(deleted);
  });
});

describe('refusedByServer', () => {
  it('is true only when the server certainly wrote nothing', () => {
    expect(refusedByServer(wrongVersion(1n))).toBe(true);
    expect(refusedByServer(StreamDeletedError.fromStreamName('s'))).toBe(true);
    expect(refusedByServer(new UnavailableError())).toBe(false);
    expect(refusedByServer(new DeadlineExceededError())).toBe(false);
    expect(refusedByServer(new Error('?'))).toBe(false);
    // A follower, or denied credentials, refuse before writing: a claim is released at once.
    expect(refusedByServer(new AccessDeniedError())).toBe(true);
    expect(refusedByServer(Object.assign(new Error('Leader info available'), { type: 'not-leader' }))).toBe(true);
  });
});
