import { Logger } from '@nestjs/common';
import type { Decider, DomainEvent } from '@positions/domain';
import { type AppendResult, type EventStore, MemoryEventStore, WrongExpectedPositionError } from '@positions/event-store';
import type { ProjectionRunner } from '@positions/projections';
import type { CommandContext } from './command-context';
import { IdempotencyKeyReused, PreconditionFailed } from './command-errors';
import { StreamCommands } from './stream-commands';

/*
 * StreamCommands on the in-memory store, with a tally decider of its own: each command adds a
 * number, and its event carries the total it was decided on, so a test can see which state a
 * decision saw.
 */
interface Tally {
  total: number;
}
interface Add {
  add: number;
}
/*
 * Stored events pass through the domain's toDomainEvent, which knows only domain event types, so
 * the tally rides on one that no command produces (ActorAliasAdded, reserved): alias `n/total`.
 */
type Tallied = { type: 'ActorAliasAdded'; data: { alias: string } };
const encode = (n: number, total: number) => `${n}/${total}`;
const decode = (data: unknown) => {
  const [n, total] = (data as { alias: string }).alias.split('/').map(Number);
  return { n, total };
};

const tallyDecider: Decider<Add, Tallied, Tally> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + decode(event.data).n }),
  decide: ({ add }, state) => [{ type: 'ActorAliasAdded', data: { alias: encode(add, state.total + add) } }],
};
// StreamCommands takes the domain's own events; the tally stands in for one of them.
const tally = tallyDecider as unknown as Decider<Add, DomainEvent, Tally>;
/** The same fold under another decider: a cache keyed by stream alone would hand it the tally's state. */
const doubled = { initialState: () => ({ total: 0 }), evolve: (state: Tally, event: DomainEvent) => ({ total: state.total + 2 * decode(event.data).n }) };

const STREAM = 'tally-1';
const context = (idempotency?: CommandContext['idempotency']): CommandContext => ({ recordedBy: 'recorder:test', correlationId: 'req-1', causationId: 'cmd-1', idempotency });
const META = { recordedBy: 'other:writer', correlationId: 'req-2', causationId: 'cmd-2' };
const tallied = (n: number, total: number) => ({ type: 'ActorAliasAdded', schemaVersion: 1, data: { alias: encode(n, total) } });

function setUp(overrides: Partial<EventStore> = {}) {
  const memory = new MemoryEventStore();
  const store: EventStore = Object.assign(Object.create(memory) as EventStore, overrides);
  const projections = { waitFor: jest.fn(async () => undefined) };
  const commands = new StreamCommands(store, projections as unknown as ProjectionRunner);
  const totals = async (stream = STREAM) => (await memory.readStream(stream)).map((e) => decode(e.data).total);
  return { memory, store, projections, commands, totals };
}

/** A store on which another writer appends to the stream just before each of the first `times` appends. */
function withRivals(times: number) {
  let rivals = 0;
  const world = setUp({
    append: async (...args: Parameters<EventStore['append']>) => {
      if (rivals < times) {
        rivals++;
        const current = await world.memory.readStream(args[0]);
        await world.memory.append(args[0], [tallied(100, 0)], current.length - 1, META);
      }
      return world.memory.append(...args);
    },
  });
  return { ...world, rivals: () => rivals };
}

beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
afterEach(() => jest.restoreAllMocks());

describe('StreamCommands', () => {
  it('decides on the folded stream and appends at its position, waiting for the views', async () => {
    const { commands, totals, projections } = setUp();
    const first = await commands.handle(STREAM, tally, { add: 2 }, { context: context() });
    const second = await commands.handle(STREAM, tally, (state: Tally) => ({ add: state.total + 1 }), { context: context() });
    expect([first.streamPosition, second.streamPosition]).toEqual([0, 1]);
    expect(await totals()).toEqual([2, 5]);
    expect(projections.waitFor).toHaveBeenLastCalledWith(second.position);
  });

  it('retries a race lost to another writer on the fresh stream, and appends once', async () => {
    const { commands, totals, rivals } = withRivals(3);
    const result = await commands.handle(STREAM, tally, { add: 1 }, { context: context() });
    expect(rivals()).toBe(3);
    // Three rival events, then ours, decided on the total they left.
    expect(await totals()).toEqual([0, 0, 0, 301]);
    expect(result.streamPosition).toBe(3);
  });

  it('gives up after ten lost races, having written nothing of its own', async () => {
    const { commands, memory, rivals } = withRivals(Infinity);
    await expect(commands.handle(STREAM, tally, { add: 1 }, { context: context() })).rejects.toBeInstanceOf(WrongExpectedPositionError);
    expect(rivals()).toBe(10);
    expect((await memory.readStream(STREAM)).every((e) => e.recordedBy === 'other:writer')).toBe(true);
  });

  it('waits a random time before each retry, longer as the attempts grow', async () => {
    const waits: number[] = [];
    jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void, ms: number) => {
      waits.push(ms);
      callback();
      return undefined as unknown as NodeJS.Timeout;
    }) as typeof setTimeout);
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const { commands } = withRivals(3);
    await commands.handle(STREAM, tally, { add: 1 }, { context: context() });
    expect(waits).toEqual([5, 10, 20]);
  });

  it('with If-Match, a race is a PreconditionFailed, not a retry', async () => {
    const { commands, totals } = withRivals(1);
    await expect(commands.handle(STREAM, tally, { add: 1 }, { context: context(), expected: -1 })).rejects.toBeInstanceOf(PreconditionFailed);
    expect(await totals()).toEqual([0]);
  });

  it('with If-Match at an old position, refuses before deciding', async () => {
    const { commands, totals } = setUp();
    await commands.handle(STREAM, tally, { add: 1 }, { context: context() });
    await expect(commands.handle(STREAM, tally, { add: 1 }, { context: context(), expected: -1 })).rejects.toMatchObject({ code: 'STREAM.PRECONDITION_FAILED' });
    expect(await totals()).toEqual([1]);
  });

  describe('idempotency keys', () => {
    const key = { key: 'key-1', requestHash: 'hash-a' };

    it('a repeat answers exactly as the first time and appends nothing', async () => {
      const { commands, totals } = setUp();
      const first = await commands.handle(STREAM, tally, { add: 1 }, { context: context(key) });
      const repeat = await commands.handle(STREAM, tally, { add: 1 }, { context: context(key) });
      expect(repeat).toEqual(first);
      expect(await totals()).toEqual([1]);
    });

    it('a repeat after a restart (a new StreamCommands on the same store) answers the same', async () => {
      const { commands, memory, projections } = setUp();
      const first = await commands.handle(STREAM, tally, { add: 1 }, { context: context(key) });
      const restarted = new StreamCommands(memory, projections as unknown as ProjectionRunner);
      expect(await restarted.handle(STREAM, tally, { add: 1 }, { context: context(key) })).toEqual(first);
    });

    it('the same key with another request is refused, and nothing is written', async () => {
      const { commands, totals } = setUp();
      await commands.handle(STREAM, tally, { add: 1 }, { context: context(key) });
      await expect(commands.handle(STREAM, tally, { add: 2 }, { context: context({ key: 'key-1', requestHash: 'hash-b' }) })).rejects.toBeInstanceOf(IdempotencyKeyReused);
      expect(await totals()).toEqual([1]);
    });

    it('two requests with one key at once, on different streams: one appends, both answer alike', async () => {
      const { commands, memory } = setUp();
      const [a, b] = await Promise.all([
        commands.handle('tally-a', tally, { add: 1 }, { context: context(key) }),
        commands.handle('tally-b', tally, { add: 1 }, { context: context(key) }),
      ]);
      expect(a).toEqual(b);
      expect(await memory.lastPosition()).toBe(1);
    });
  });

  describe('one command per stream at a time', () => {
    it('runs commands on one stream one after another, with no lost race to retry', async () => {
      const appends = jest.fn();
      const world = setUp({ append: (...args: Parameters<EventStore['append']>) => (appends(), world.memory.append(...args)) });
      await Promise.all([1, 2, 3, 4].map((n) => world.commands.handle(STREAM, tally, { add: n }, { context: context() })));
      expect(appends).toHaveBeenCalledTimes(4);
      expect(await world.totals()).toEqual([1, 3, 6, 10]);
    });

    it('runs commands on different streams side by side', async () => {
      const { commands } = setUp();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = commands.handle('tally-slow', tally, async () => (await gate, { add: 1 }), { context: context() });
      await expect(commands.handle('tally-quick', tally, { add: 1 }, { context: context() })).resolves.toMatchObject({ streamPosition: 0 });
      release();
      await expect(slow).resolves.toMatchObject({ streamPosition: 0 });
    });

    it('a failed command does not block the next on its stream', async () => {
      const { commands, totals } = setUp();
      await expect(commands.handle(STREAM, tally, () => Promise.reject(new Error('boom')), { context: context() })).rejects.toThrow('boom');
      await commands.handle(STREAM, tally, { add: 1 }, { context: context() });
      expect(await totals()).toEqual([1]);
    });
  });

  describe('the cache of folded streams', () => {
    it('is not stale after another writer appends, and reads only the events since', async () => {
      const reads: [string, number | undefined][] = [];
      const world = setUp({ readStream: (stream: string, from?: number) => (reads.push([stream, from]), world.memory.readStream(stream, from)) });
      await world.commands.handle(STREAM, tally, { add: 1 }, { context: context() });
      expect(await world.commands.load(STREAM, tally)).toEqual({ total: 1 });
      await world.memory.append(STREAM, [tallied(10, 11)], 0, META);
      reads.length = 0;
      expect(await world.commands.load(STREAM, tally)).toEqual({ total: 11 });
      expect(reads).toEqual([[STREAM, 1]]);
    });

    it('folds a stream again for another decider', async () => {
      const { commands } = setUp();
      await commands.handle(STREAM, tally, { add: 3 }, { context: context() });
      expect(await commands.load(STREAM, doubled)).toEqual({ total: 6 });
      expect(await commands.load(STREAM, tally)).toEqual({ total: 3 });
    });

    it('keeps a decision made on the cached state from changing it for the next reader', async () => {
      const { commands } = setUp();
      await commands.handle(STREAM, tally, { add: 1 }, { context: context() });
      const before = await commands.load(STREAM, tally);
      await commands.handle(STREAM, tally, { add: 1 }, { context: context() });
      expect(before).toEqual({ total: 1 });
      expect(await commands.load(STREAM, tally)).toEqual({ total: 2 });
    });
  });

  it('stateAt folds a stream up to a position: the state a command answered with', async () => {
    const { commands } = setUp();
    const results: AppendResult[] = [];
    for (const n of [1, 2, 3]) results.push(await commands.handle(STREAM, tally, { add: n }, { context: context() }));
    expect(await commands.stateAt(STREAM, tally, results[1].streamPosition)).toEqual({ total: 3 });
  });

  it('answers with success when the views do not catch up: the events are written', async () => {
    const { commands, projections, totals } = setUp();
    projections.waitFor.mockRejectedValueOnce(new Error('views stopped'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await expect(commands.handle(STREAM, tally, { add: 1 }, { context: context() })).resolves.toMatchObject({ streamPosition: 0 });
    expect(await totals()).toEqual([1]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('views did not catch up with position 1'));
  });
});
