import { WatchDispatcher, type WatchMessage } from '@positions/application';
import { positionStream, topicStream } from '@positions/domain';
import { MemoryEventStore } from '@positions/event-store';
import { openViewsDatabase, WatchCheckpoint } from '@positions/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryCheckpoints } from './webhook-files';
import { DEFAULT_RETRY, WebhookWorker } from './webhook-worker';

const meta = { recordedBy: 'test', correlationId: 'c', causationId: null };
const STANCES = [
  { code: 'for', label: 'For', score: 2 },
  { code: 'against', label: 'Against', score: -2 },
];
const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WebhookWorker far behind the log', () => {
  let store: MemoryEventStore;
  let dir: string;
  let receiver: Server | null = null;
  const dispatchers: WatchDispatcher[] = [];
  const workers: WebhookWorker[] = [];

  async function state(actorId: string, stance: string, statedOn: string): Promise<void> {
    const data = { statementId: `s-${actorId}`, stance, summary: 's', statedOn, source: { title: 'x' } };
    await store.append(positionStream(actorId, 't'), [{ type: 'PositionStated', schemaVersion: 1, data }], 'any', meta);
  }

  /** A dispatcher as the service starts one (with the checkpoint file in `dir` when asked), not yet caught up. */
  function dispatcher(checkpoint = false): WatchDispatcher {
    const made = new WatchDispatcher(store, checkpoint ? new WatchCheckpoint(openViewsDatabase(join(dir, 'watch.db'))) : null);
    dispatchers.push(made);
    made.onModuleInit();
    return made;
  }

  /** A receiver answering 204, and what it got in order; `onFirst` runs when the first message arrives. */
  async function listen(onFirst: () => void = () => undefined): Promise<{ url: string; received: WatchMessage[] }> {
    const received: WatchMessage[] = [];
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (received.length === 0) onFirst();
        received.push(JSON.parse(body) as WatchMessage);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, received };
  }

  function worker(url: string, on: WatchDispatcher, deliveredThrough: number, checkpoints = new DeliveryCheckpoints(dir)): WebhookWorker {
    const made = new WebhookWorker(
      { id: 'w1', url, filter: {}, secret: SECRET },
      { state: 'active', deliveredThrough, failures: 0, lastError: null, failingSince: null },
      { dispatcher: on, checkpoints, clock: () => new Date(), allowPrivate: true, retry: DEFAULT_RETRY },
    );
    workers.push(made);
    made.start();
    return made;
  }

  /** Waits until `done` holds, checking every 10 ms, at most `ms`. */
  async function until(done: () => boolean, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!done() && Date.now() < end) await sleep(10);
  }

  const shape = (messages: WatchMessage[]) => messages.map(({ type, position, data }) => ({ type, position, data }));

  beforeEach(async () => {
    store = new MemoryEventStore();
    await store.append(topicStream('t'), [{ type: 'TopicOpened', schemaVersion: 1, data: { id: 't', title: 'T', proposition: 'P', stances: STANCES } }], -1, meta);
    dir = mkdtempSync(join(tmpdir(), 'webhook-worker-'));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    for (const d of dispatchers.splice(0)) d.onApplicationShutdown();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    receiver = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers what it re-derives a page at a time, without gathering the whole stretch first', async () => {
    for (let i = 0; i < 700; i++) await state(`a${i}`, 'for', '2025-02-01');
    const watching = dispatcher();
    await watching.caughtUp();
    const expected = await watching.between(0, watching.position);
    // Only the last message stays in memory: the worker, at position 0, must re-derive the log.
    watching.recentLimit = 1;
    await state('late', 'against', '2025-02-02');
    await watching.caughtUp();
    const through = watching.position;
    expected.push(...(await watching.between(expected.at(-1)!.position, through)));

    const reads = jest.spyOn(store, 'readAll');
    let readsAtFirstDelivery = -1;
    const { url, received } = await listen(() => (readsAtFirstDelivery = reads.mock.calls.length));
    const checkpoints = new DeliveryCheckpoints(dir);
    const delivering = worker(url, watching, 0, checkpoints);
    // The checkpoint moves once the last answer is in.
    await until(() => delivering.delivery.deliveredThrough >= through);

    // The first message went out after one page of the log was read, not after all three.
    expect(readsAtFirstDelivery).toBe(1);
    expect(shape(received)).toEqual(shape(expected));
    expect(checkpoints.read('w1')?.deliveredThrough).toBe(through);
  });

  it('goes on delivering after a restart from the watch checkpoint, with nothing new in the log', async () => {
    for (let i = 0; i < 5; i++) await state(`a${i}`, 'for', '2025-02-01');
    const first = dispatcher(true);
    await first.caughtUp();
    const expected = await first.between(0, first.position);
    await first.beforeApplicationShutdown();
    first.onApplicationShutdown();

    // The service starts its workers while the dispatcher still loads its checkpoint.
    const { url, received } = await listen();
    worker(url, dispatcher(true), 0);
    await until(() => received.length === expected.length, 5000);

    expect(shape(received)).toEqual(shape(expected));
  });
});
