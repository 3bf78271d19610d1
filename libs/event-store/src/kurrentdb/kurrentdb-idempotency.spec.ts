import { UnavailableError } from '@kurrent/kurrentdb-client';
import { IdempotencyKeyTaken, StoreUnavailableError, StoredEvent } from '../event-store.port';
import { CLAIMED, IdempotencyClaims, RELEASED, claimStreamName, idempotentEventId, uuidV5 } from './kurrentdb-idempotency';
import { FakeKurrentClient } from './testing/fake-kurrentdb-client';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const claim = (key = 'key-1', requestHash = 'h1') => ({ key, requestHash });

describe('idempotent event ids and claim streams', () => {
  it('computes RFC 4122 version-5 UUIDs (the RFC errata example for the DNS namespace)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives a stable version-5 UUID per namespace, key and index', () => {
    const id = idempotentEventId('', 'key-1', 0);
    expect(id).toMatch(UUID_V5);
    expect(idempotentEventId('', 'key-1', 0)).toBe(id);
    const others = [idempotentEventId('', 'key-1', 1), idempotentEventId('', 'key-2', 0), idempotentEventId('t1-', 'key-1', 0)];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('names the claim stream by a SHA-256 of the key, inside the namespace', () => {
    expect(claimStreamName('t1', 'any key: with spaces/and?odd#chars')).toMatch(/^t1:idempotency-[0-9a-f]{64}$/);
    expect(claimStreamName('', 'k')).toBe(claimStreamName('', 'k'));
    expect(claimStreamName('', 'k')).not.toBe(claimStreamName('', 'K'));
  });
});

describe('IdempotencyClaims', () => {
  let client: FakeKurrentClient;
  let now: number;
  /** The events of each stream the claims look their events up in. */
  let streams: Map<string, StoredEvent[]>;
  let claims: IdempotencyClaims;
  const stored = (streamId: string, eventId: string, streamPosition = 0) => ({ eventId, streamId, streamPosition }) as StoredEvent;
  const claimEvents = (key = 'key-1') => client.streamRecords(claimStreamName('', key));

  beforeEach(() => {
    client = new FakeKurrentClient();
    now = 1_000_000;
    streams = new Map();
    claims = new IdempotencyClaims(client, async (streamId) => streams.get(streamId) ?? [], { namespace: '', leaseMs: 60_000, now: () => now, timeoutMs: 1000 });
  });

  it('claims a free key with expected no_stream, naming the stream and event ids', async () => {
    const held = await claims.acquire(claim(), 's', ['e1', 'e2']);
    expect(held).toEqual({ streamName: claimStreamName('', 'key-1'), revision: 0n });
    expect(client.appends[0].options).toEqual({ streamState: 'no_stream' });
    expect(claimEvents().map((r) => [r.type, JSON.parse(r.dataJson)])).toEqual([
      [CLAIMED, { key: 'key-1', requestHash: 'h1', streamId: 's', eventIds: ['e1', 'e2'], claimedAtMs: now }],
    ]);
  });

  it('refuses a key whose claim is finished, or pending within its lease, writing nothing', async () => {
    await claims.acquire(claim(), 's', ['e1']);
    now += 60_000;
    await expect(claims.acquire(claim('key-1', 'h2'), 't', ['e9'])).rejects.toBeInstanceOf(IdempotencyKeyTaken);
    streams.set('s', [stored('s', 'e1')]);
    now += 3_600_000;
    await expect(claims.acquire(claim(), 's', ['e1'])).rejects.toBeInstanceOf(IdempotencyKeyTaken);
    expect(claimEvents()).toHaveLength(1);
  });

  it('lets exactly one of racing claims win: the others lose on the expected stream state', async () => {
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((i) => claims.acquire(claim(), `s${i}`, [`e${i}`])));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual(Array(3).fill(expect.any(IdempotencyKeyTaken)));
    expect(claimEvents()).toHaveLength(1);
    // Each attempt carries its own event id: equal ids would make the server take a racer for a retry.
    expect(new Set(client.appends.map((a) => a.events[0].id)).size).toBe(client.appends.length);
  });

  it('gives a released key back: the next claim expects the release', async () => {
    const held = await claims.acquire(claim(), 's', ['e1']);
    await claims.release(held);
    expect(claimEvents().map((r) => r.type)).toEqual([CLAIMED, RELEASED]);
    expect(await claims.find('key-1')).toBeNull();
    await expect(claims.acquire(claim('key-1', 'h2'), 's', ['e2'])).resolves.toEqual({ streamName: held.streamName, revision: 2n });
    expect(client.appends[2].options).toEqual({ streamState: 1n });
  });

  it('supersedes a claim abandoned past its lease whose events never arrived', async () => {
    await claims.acquire(claim(), 's', ['e1']);
    now += 60_001;
    const held = await claims.acquire(claim('key-1', 'h2'), 't', ['e2']);
    expect(held.revision).toBe(1n);
    expect(client.appends[1].options).toEqual({ streamState: 0n });
    expect(JSON.parse(claimEvents()[1].dataJson)).toMatchObject({ requestHash: 'h2', streamId: 't', eventIds: ['e2'] });
  });

  it('finds a finished claim with its events in stream order, and nothing for a pending or unknown key', async () => {
    expect(await claims.find('key-1')).toBeNull();
    await claims.acquire(claim(), 's', ['e1', 'e2']);
    expect(await claims.find('key-1')).toBeNull();
    streams.set('s', [stored('s', 'e0', 0), stored('s', 'e1', 1), stored('s', 'e2', 2)]);
    expect(await claims.find('key-1')).toEqual({ key: 'key-1', requestHash: 'h1', streamId: 's', events: [stored('s', 'e1', 1), stored('s', 'e2', 2)] });
  });

  it('reports an outage while claiming as StoreUnavailableError', async () => {
    client.failNext('readStream', new UnavailableError());
    await expect(claims.acquire(claim(), 's', ['e1'])).rejects.toBeInstanceOf(StoreUnavailableError);
    client.failNext('appendToStream', new UnavailableError());
    await expect(claims.acquire(claim(), 's', ['e1'])).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('keeps the claim when even the release fails: the lease frees it later', async () => {
    const held = await claims.acquire(claim(), 's', ['e1']);
    client.failNext('appendToStream', new UnavailableError());
    await expect(claims.release(held)).resolves.toBeUndefined();
    expect(claimEvents().map((r) => r.type)).toEqual([CLAIMED]);
  });
});
