import type { AllStreamResolvedEvent, ReadPosition } from '@kurrent/kurrentdb-client';
import { START } from '@kurrent/kurrentdb-client';
import { FollowerPorts, LogFollower } from './kurrentdb-follower';
import { FakeSubscription } from './testing/fake-kurrentdb-client';

/** An event as the subscription delivers it; `position` is the port position the follower is told it maps to. */
const event = (position: number, streamId = 'actor-x') => ({ event: { streamId, position: { commit: BigInt(position - 1), prepare: BigInt(position - 1) } } }) as unknown as AllStreamResolvedEvent;

describe('LogFollower', () => {
  let subscriptions: FakeSubscription[];
  let starts: ReadPosition[];
  let seen: number[];
  let drops: number[];
  let tail: jest.Mock<Promise<number>, []>;
  let follower: LogFollower;

  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const current = () => subscriptions[subscriptions.length - 1];

  beforeEach(() => {
    jest.useFakeTimers();
    subscriptions = [];
    starts = [];
    seen = [];
    drops = [];
    tail = jest.fn(async () => 100);
    const ports: FollowerPorts = {
      subscribe: (from) => {
        starts.push(from);
        const subscription = new FakeSubscription({ fromPosition: from });
        subscriptions.push(subscription);
        return subscription;
      },
      tail: () => tail(),
      // Claims and system events map to null: the follower must skip them.
      positionOf: (resolved) => (resolved.event?.streamId.startsWith('idempotency-') ? null : Number(resolved.event!.position.prepare) + 1),
      onPosition: (position) => seen.push(position),
      onDrop: (_error, retryInMs) => drops.push(retryInMs),
    };
    follower = new LogFollower(ports, { initialDelayMs: 100, maxDelayMs: 800 });
  });

  afterEach(async () => {
    await follower.stop();
    jest.useRealTimers();
  });

  it('starts at the current end of the log, as a concrete position', async () => {
    follower.start();
    await settle();
    expect(starts).toEqual([{ commit: 99n, prepare: 99n }]);
    expect(follower.checkpoint).toBe(100);
  });

  it('starts at the beginning when the log is empty', async () => {
    tail.mockResolvedValue(0);
    follower.start();
    await settle();
    expect(starts).toEqual([START]);
  });

  it('reports new positions in order, skipping what it has seen and what is not a domain event', async () => {
    follower.start();
    await settle();
    current().emit('data', event(100)); // the start position again: an inclusive start
    current().emit('data', event(130));
    current().emit('data', event(150, 'idempotency-ab'));
    current().emit('data', event(170));
    current().emit('data', event(130)); // a duplicate
    expect(seen).toEqual([130, 170]);
    expect(follower.checkpoint).toBe(170);
  });

  it('resubscribes after an error, from the last position it saw, after the backoff delay', async () => {
    follower.start();
    await settle();
    const first = current();
    first.emit('data', event(130));
    first.emit('error', new Error('UNAVAILABLE'));
    first.emit('close'); // an error is often followed by close: one resubscription only
    await settle();
    expect(first.unsubscribed).toBe(true);
    expect(drops).toEqual([100]);
    expect(subscriptions).toHaveLength(1);

    jest.advanceTimersByTime(99);
    await settle();
    expect(subscriptions).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(subscriptions).toHaveLength(2);
    expect(starts[1]).toEqual({ commit: 129n, prepare: 129n });

    current().emit('data', event(130)); // delivered again by the inclusive restart: not reported twice
    current().emit('data', event(190));
    first.emit('data', event(999)); // a late event of the dropped subscription is ignored
    expect(seen).toEqual([130, 190]);
  });

  it('doubles the delay on repeated drops up to the ceiling, and starts over once events flow', async () => {
    follower.start();
    await settle();
    for (let i = 0; i < 5; i++) {
      current().emit('end');
      jest.advanceTimersByTime(drops[drops.length - 1]);
      await settle();
    }
    expect(drops).toEqual([100, 200, 400, 800, 800]);
    current().emit('data', event(120));
    current().emit('error', new Error('again'));
    expect(drops[drops.length - 1]).toBe(100);
  });

  it('keeps retrying when even the end of the log cannot be read', async () => {
    tail.mockRejectedValueOnce(new Error('UNAVAILABLE')).mockResolvedValue(100);
    follower.start();
    await settle();
    expect(subscriptions).toHaveLength(0);
    expect(drops).toEqual([100]);
    jest.advanceTimersByTime(100);
    await settle();
    expect(starts).toEqual([{ commit: 99n, prepare: 99n }]);
  });

  it('stops for good: unsubscribes, cancels a pending retry, and ignores late events', async () => {
    follower.start();
    await settle();
    const first = current();
    first.emit('error', new Error('UNAVAILABLE'));
    await follower.stop();
    jest.advanceTimersByTime(10_000);
    await settle();
    expect(subscriptions).toHaveLength(1);
    first.emit('data', event(130));
    expect(seen).toEqual([]);
    expect(() => first.emit('error', new Error('late'))).not.toThrow();
  });
});
