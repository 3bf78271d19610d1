import { actorStream, positionStream, topicStream } from '@positions/domain';
import { MemoryEventStore, type ReadAllOptions } from '@positions/event-store';
import { openViewsDatabase, WatchCheckpoint } from '@positions/projections';
import { turnsDuring } from '@positions/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageDeriver } from './message-deriver';
import { WatchDispatcher } from './watch-dispatcher';
import type { WatchMessage } from './watch-messages';

const meta = { recordedBy: 'test', correlationId: 'c', causationId: null };
const STANCES = [
  { code: 'for', label: 'For', score: 2 },
  { code: 'against', label: 'Against', score: -2 },
];

async function state(store: MemoryEventStore, actorId: string, statementId: string, stance: string, statedOn: string) {
  await store.append(positionStream(actorId, 't'), [{ type: 'PositionStated', schemaVersion: 1, data: { statementId, stance, summary: 's', statedOn, source: { title: 'x' } } }], 'any', meta);
}

describe('WatchDispatcher', () => {
  let store: MemoryEventStore;
  let dispatcher: WatchDispatcher;

  beforeEach(async () => {
    store = new MemoryEventStore();
    await store.append(topicStream('t'), [{ type: 'TopicOpened', schemaVersion: 1, data: { id: 't', title: 'T', proposition: 'P', stances: STANCES } }], -1, meta);
    await store.append(actorStream('a'), [{ type: 'ActorRegistered', schemaVersion: 1, data: { id: 'a', name: 'A', kind: 'person', aliases: [] } }], -1, meta);
    dispatcher = new WatchDispatcher(store);
    dispatcher.onModuleInit();
    await dispatcher.caughtUp();
  });
  afterEach(() => dispatcher.onApplicationShutdown());

  /**
   * `count` statements, then one more with only the last two messages kept in memory: the
   * messages of the first `count` must be re-derived from the log. Answers them.
   */
  async function forgotten(count: number): Promise<WatchMessage[]> {
    for (let i = 0; i < count; i++) await state(store, `r${i}`, `r${i}`, 'for', '2025-02-01');
    await dispatcher.caughtUp();
    const inMemory = await dispatcher.between(0, dispatcher.position);
    dispatcher.recentLimit = 2;
    await state(store, 'a', 'late', 'against', '2025-02-02');
    await dispatcher.caughtUp();
    return inMemory;
  }

  it('fans each new message out to every listener, once, in log order', async () => {
    const [first, second]: WatchMessage[][] = [[], []];
    dispatcher.listen((m) => first.push(...m));
    dispatcher.listen((m) => second.push(...m));
    for (let i = 0; i < 6; i++) await state(store, 'a', `s${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.map((m) => m.type)).toEqual(Array(6).fill('position-changed'));
    expect(first.map((m) => m.position)).toEqual([...first.map((m) => m.position)].sort((x, y) => x - y));
    expect(second).toEqual(first);
  });

  it('answers the same messages after a position whether they are still in memory or re-derived from the log', async () => {
    for (let i = 0; i < 8; i++) await state(store, 'a', `s${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const through = dispatcher.position;
    const fromMemory = await dispatcher.between(4, through);
    dispatcher.recentLimit = 2;
    await state(store, 'a', 'late', 'for', '2025-01-20');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rederived = await dispatcher.between(4, through);
    expect(fromMemory.length).toBeGreaterThan(2);
    expect(rederived).toEqual(fromMemory);
  });

  it('re-derives a long stretch of the log a page at a time, letting other work in between', async () => {
    const inMemory = await forgotten(1200);
    const { result: rederived, turns } = await turnsDuring(() => dispatcher.between(0, inMemory.at(-1)!.position));
    expect(rederived).toEqual(inMemory);
    expect(turns).toBeGreaterThanOrEqual(4);

    // A receiver that has had enough (a client gone) stops the reading of the log.
    const reads = jest.spyOn(store, 'readAll');
    const pages: WatchMessage[][] = [];
    await dispatcher.replay(0, inMemory.at(-1)!.position, (messages) => pages.push(messages) < 2);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(pages.flat()).toEqual(rederived.slice(0, pages.flat().length));
    reads.mockRestore();
  });

  it('re-derives for one far-behind receiver at a time: each holds a state as large as the record', async () => {
    const inMemory = await forgotten(600);
    const through = inMemory.at(-1)!.position;
    const order: string[] = [];
    const got: Record<string, WatchMessage[]> = { first: [], second: [], third: [] };
    const replay = (name: string) =>
      dispatcher.replay(0, through, (messages) => {
        order.push(name);
        got[name].push(...messages);
        return true;
      });
    await Promise.all([replay('first'), replay('second'), replay('third')]);
    // Pages of one replay, then the next's: never two re-derivations at once.
    expect(order.filter((name, i) => name !== order[i - 1])).toEqual(['first', 'second', 'third']);
    for (const name of ['first', 'second', 'third']) expect(got[name]).toEqual(inMemory);
  });
});

describe('WatchDispatcher with a checkpoint', () => {
  let store: MemoryEventStore;
  let dir: string;
  const running: WatchDispatcher[] = [];

  /** A dispatcher as the service starts one, and where each read of the log began (but the one-event look at the log's first, which tells one log from another). */
  async function start(on = store): Promise<{ dispatcher: WatchDispatcher; readFrom: number[]; heard: WatchMessage[] }> {
    const readFrom: number[] = [];
    const readAll = on.readAll.bind(on);
    jest.spyOn(on, 'readAll').mockImplementation((options?: ReadAllOptions) => {
      if (options?.limit !== 1) readFrom.push(options?.after ?? 0);
      return readAll(options);
    });
    const dispatcher = new WatchDispatcher(on, new WatchCheckpoint(openViewsDatabase(join(dir, 'watch.db'))));
    const heard: WatchMessage[] = [];
    dispatcher.listen((m) => heard.push(...m));
    running.push(dispatcher);
    dispatcher.onModuleInit();
    await dispatcher.caughtUp();
    return { dispatcher, readFrom, heard };
  }

  async function stop(dispatcher: WatchDispatcher): Promise<void> {
    await dispatcher.beforeApplicationShutdown();
    dispatcher.onApplicationShutdown();
    jest.restoreAllMocks();
  }

  /** The messages a dispatcher that never saw a checkpoint derives from the whole log. */
  async function fromScratch(): Promise<WatchMessage[]> {
    const fresh = new WatchDispatcher(store);
    fresh.onModuleInit();
    await fresh.caughtUp();
    fresh.onApplicationShutdown();
    return fresh.between(0, fresh.position);
  }

  beforeEach(async () => {
    store = new MemoryEventStore();
    dir = mkdtempSync(join(tmpdir(), 'positions-watch-'));
    await store.append(topicStream('t'), [{ type: 'TopicOpened', schemaVersion: 1, data: { id: 't', title: 'T', proposition: 'P', stances: STANCES } }], -1, meta);
    for (let i = 0; i < 6; i++) await state(store, 'a', `s${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);
  });
  afterEach(() => {
    running.splice(0).forEach((d) => d.onApplicationShutdown());
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts again from its checkpoint: the events before it are not read again, and the messages after it come once each', async () => {
    const first = await start();
    const saved = first.dispatcher.position;
    await stop(first.dispatcher);
    for (let i = 6; i < 9; i++) await state(store, 'a', `s${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);

    const second = await start();
    expect(Math.min(...second.readFrom)).toBe(saved);
    expect(second.dispatcher.eventsRead).toBe(3);
    const all = await fromScratch();
    expect(first.heard).toEqual(all.filter((m) => m.position <= saved));
    expect(second.heard).toEqual(all.filter((m) => m.position > saved));
    expect(second.heard).toHaveLength(3);
  });

  it('keeps only the streams it used last in memory, reads the others back from its checkpoint, and derives the same messages', async () => {
    // Spokespeople of one organization: a statement of one makes the dispatcher read the others' streams.
    for (const actorId of ['v1', 'v2', 'v3']) {
      await store.append(actorStream(actorId), [{ type: 'AffiliationBegan', schemaVersion: 1, data: { organizationId: 'org', role: 'spokesperson', from: '2024-01-01', speaksFor: true } }], 'any', meta);
    }
    const first = await start();
    first.dispatcher.saveEveryMs = 0;
    first.dispatcher.streamsKept = 3;
    let most = 0;
    for (let i = 0; i < 40; i++) {
      await state(store, i % 4 === 0 ? `v${(i / 4) % 3 + 1}` : `w${i % 13}`, `x${i}`, i % 3 ? 'against' : 'for', `2025-01-${String((i % 28) + 1).padStart(2, '0')}`);
      await first.dispatcher.caughtUp();
      most = Math.max(most, first.dispatcher.streamsInMemory);
    }
    // Right after each save, beside the one changed since: never the 17 streams of the log.
    expect(most).toBeLessThanOrEqual(4);
    await stop(first.dispatcher);

    // A restart holds none of them until an event needs one.
    const second = await start();
    expect(second.dispatcher.streamsInMemory).toBe(0);
    // v1 stands for, v2 and v3 against: both turning makes the voices converge.
    await state(store, 'v2', 'late-v2', 'for', '2025-03-01');
    await state(store, 'v3', 'late-v3', 'for', '2025-03-01');
    await state(store, 'w6', 'late-w6', 'for', '2025-03-01');
    await second.dispatcher.caughtUp();
    const all = await fromScratch();
    expect(first.heard).toEqual(all.slice(0, first.heard.length));
    expect(second.heard).toEqual(all.slice(first.heard.length));
    expect(second.heard.map((m) => m.type)).toEqual(['position-changed', 'position-changed', 'voice-converged', 'position-changed']);
  });

  it('re-derives for a far-behind client with a few streams in memory, the others in a scratch file it deletes', async () => {
    const { dispatcher } = await start();
    for (let i = 0; i < 1200; i++) await state(store, `r${i}`, `r${i}`, i % 2 ? 'against' : 'for', '2025-02-01');
    await dispatcher.caughtUp();
    const inMemory = await dispatcher.between(0, dispatcher.position);
    dispatcher.recentLimit = 2;
    // 'a' stood against: a change, whose message pushes the others out of memory.
    await state(store, 'a', 'late', 'for', '2025-02-02');
    await dispatcher.caughtUp();
    [dispatcher.streamsKept, dispatcher.unsavedLimit] = [10, 10];

    const scratch = jest.spyOn(WatchCheckpoint, 'scratch');
    let most = 0;
    const apply = MessageDeriver.prototype.apply;
    jest.spyOn(MessageDeriver.prototype, 'apply').mockImplementation(function (this: MessageDeriver, ...args: Parameters<MessageDeriver['apply']>) {
      most = Math.max(most, this.streamsInMemory);
      return apply.apply(this, args);
    });
    expect(await dispatcher.between(0, inMemory.at(-1)!.position)).toEqual(inMemory);
    // A page of the log (250 events, each on a stream of its own) beside the 10 kept: not the 1,201 streams.
    expect(most).toBeLessThanOrEqual(10 + 250);
    expect(scratch).toHaveBeenCalledTimes(1);
    const file = scratch.mock.results[0].value as WatchCheckpoint;
    expect(() => file.part('stream', 'x')).toThrow(/not open/);
  });

  it('goes on from the last checkpoint saved while reading when it was stopped without saving (a crash)', async () => {
    const first = await start();
    const saved = first.dispatcher.position;
    for (let i = 6; i < 9; i++) await state(store, 'a', `s${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);
    await first.dispatcher.caughtUp();
    expect(first.dispatcher.position).toBeGreaterThan(saved);
    first.dispatcher.onApplicationShutdown();
    jest.restoreAllMocks();

    const second = await start();
    expect(second.dispatcher.eventsRead).toBe(3);
    expect(second.heard).toEqual((await fromScratch()).filter((m) => m.position > saved));
  });

  it('makes the parts of a large save a page at a time, letting other work in between', async () => {
    for (let i = 0; i < 2600; i++) await state(store, `m${i}`, `m${i}`, 'for', '2025-02-01');
    // Parts made in each turn of the event loop: a turn ends where the save pauses for other work.
    let [inTurn, most, made] = [0, 0, 0];
    const part = MessageDeriver.prototype.part;
    jest.spyOn(MessageDeriver.prototype, 'part').mockImplementation(function (this: MessageDeriver, ...args: Parameters<MessageDeriver['part']>) {
      [inTurn, made] = [inTurn + 1, made + 1];
      most = Math.max(most, inTurn);
      return part.apply(this, args);
    });
    await turnsDuring(
      async () => stop((await start()).dispatcher),
      () => (inTurn = 0),
    );
    expect(made).toBeGreaterThanOrEqual(2600);
    expect(most).toBeLessThanOrEqual(1000);

    const second = await start();
    expect(second.dispatcher.eventsRead).toBe(0);
    expect(await second.dispatcher.between(0, second.dispatcher.position)).toEqual(await fromScratch());
  });

  it('saves with the next checkpoint what a failed save held', async () => {
    const first = await start();
    first.dispatcher.saveEveryMs = 0;
    const saves = jest.spyOn(WatchCheckpoint.prototype, 'save').mockRejectedValueOnce(new Error('disk full'));
    for (let i = 6; i < 9; i++) {
      await state(store, 'b', `b${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);
      await first.dispatcher.caughtUp();
    }
    expect(saves.mock.calls.length).toBeGreaterThanOrEqual(2);
    // A crash: nothing saved at shutdown.
    first.dispatcher.onApplicationShutdown();
    jest.restoreAllMocks();
    await state(store, 'b', 'b9', 'against', '2025-01-10');

    const second = await start();
    expect(second.dispatcher.eventsRead).toBe(1);
    const all = await fromScratch();
    expect(second.heard).toEqual(all.slice(-1));
    expect(await second.dispatcher.between(0, second.dispatcher.position)).toEqual(all);
  });

  it('answers a client resuming before the checkpoint from the messages it kept, without reading the log', async () => {
    const first = await start();
    const kept = await first.dispatcher.between(2, first.dispatcher.position);
    await stop(first.dispatcher);

    const second = await start();
    second.readFrom.length = 0;
    expect(await second.dispatcher.between(2, second.dispatcher.position)).toEqual(kept);
    expect(second.readFrom).toEqual([]);
    expect(kept).toHaveLength(5);
  });

  it('reads the log from its start when the checkpoint is ahead of it (an older backup of the same log put back)', async () => {
    const original = new MemoryEventStore();
    const opened = { eventId: 'the-first-event', type: 'TopicOpened', schemaVersion: 1, data: { id: 't', title: 'T', proposition: 'P', stances: STANCES } };
    await original.append(topicStream('t'), [opened], -1, meta);
    for (let i = 0; i < 4; i++) await state(original, 'a', `s${i}`, i % 2 ? 'against' : 'for', `2025-01-0${i + 1}`);
    await stop((await start(original)).dispatcher);
    const backup = new MemoryEventStore();
    await backup.append(topicStream('t'), [opened], -1, meta);
    await state(backup, 'b', 'x', 'for', '2025-01-01');

    const restored = await start(backup);
    expect(restored.readFrom[0]).toBe(0);
    expect(restored.heard.map((m) => [m.type, 'actorId' in m.data && m.data.actorId])).toEqual([['position-changed', 'b']]);
    await stop(restored.dispatcher);
    // Nothing of the dropped checkpoint is left: 'a' has no position in this log yet.
    await state(backup, 'a', 'y', 'against', '2025-01-05');
    const again = await start(backup);
    expect(again.dispatcher.eventsRead).toBe(1);
    expect(again.heard).toEqual([expect.objectContaining({ type: 'position-changed', data: expect.objectContaining({ actorId: 'a', before: null }) })]);
  });

  it('does not keep the service from starting while it reads the log: until it has, it tells nothing', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const readAll = store.readAll.bind(store);
    jest.spyOn(store, 'readAll').mockImplementation(async (options?: ReadAllOptions) => {
      await gate;
      return readAll(options);
    });
    const dispatcher = new WatchDispatcher(store, new WatchCheckpoint(openViewsDatabase(join(dir, 'watch.db'))));
    running.push(dispatcher);
    expect(dispatcher.onModuleInit()).toBeUndefined();
    expect(dispatcher.position).toBe(0);
    expect(await dispatcher.between(0, dispatcher.position)).toEqual([]);
    release();
    await dispatcher.caughtUp();
    expect(await dispatcher.between(0, dispatcher.position)).toHaveLength(6);
  });

  it('reads a log from its start when the checkpoint was made from another log', async () => {
    await stop((await start()).dispatcher);
    const other = new MemoryEventStore();
    await other.append(topicStream('t'), [{ type: 'TopicOpened', schemaVersion: 1, data: { id: 't', title: 'T', proposition: 'P', stances: STANCES } }], -1, meta);
    await state(other, 'b', 'x', 'for', '2025-01-01');

    const elsewhere = await start(other);
    expect(elsewhere.readFrom[0]).toBe(0);
    expect(elsewhere.heard.map((m) => [m.type, 'actorId' in m.data && m.data.actorId])).toEqual([['position-changed', 'b']]);
  });
});
