import { actorStream, positionStream, topicStream } from '@positions/domain';
import { MemoryEventStore } from '@positions/event-store';
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
    await dispatcher.onModuleInit();
  });
  afterEach(() => dispatcher.onApplicationShutdown());

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
});
