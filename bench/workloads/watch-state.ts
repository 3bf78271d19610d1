import { MessageDeriver, type StatePart, WatchDispatcher } from '@positions/application';
import type { EventStore, StoredEvent } from '@positions/event-store';
import { openViewsDatabase, WatchCheckpoint } from '@positions/projections';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchResult, log } from '../support/measure';
import { type Shape, STANCES, statements, topicId } from '../support/dataset';

const heapMiB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const row = (name: string, value: number, unit: string, notes: string): BenchResult => ({ name, value, unit, baseline: null, baselineValue: null, ratio: null, notes });

/** The data set as stored events (topics first), made one at a time: only what the deriver keeps stays in memory. */
export function* storedEvents(shape: Shape): Generator<StoredEvent> {
  let position = 0;
  const envelope = (streamId: string, type: string, data: unknown): StoredEvent => {
    position += 1;
    const recordedAt = new Date(Date.UTC(2025, 0, 1) + position * 1000).toISOString();
    const event = { eventId: randomUUID(), type, schemaVersion: 1, streamId, streamPosition: 0, position, recordedAt, recordedBy: 'bench', correlationId: 'bench', causationId: null, data };
    // Through JSON, as a store gives events back: flat strings (randomUUID's are built of many pieces).
    return JSON.parse(JSON.stringify(event)) as StoredEvent;
  };
  for (let t = 0; t < shape.topics; t++) yield envelope(`topic-${topicId(t)}`, 'TopicOpened', { id: topicId(t), title: `Topic ${t}`, proposition: `Proposition ${t}`, stances: STANCES });
  for (const { actorId, topicId: topic, ...fields } of statements(shape)) {
    yield envelope(`position-${actorId}.${topic}`, 'PositionStated', { statementId: randomUUID(), ...fields });
  }
}

/** A log whose events are all in the checkpoint already: a restart only loads it. */
function logBehindCheckpoint(first: StoredEvent, last: number): EventStore {
  const store = {
    kind: 'bench',
    readAll: async (options?: { limit?: number }) => (options?.limit === 1 ? [first] : []),
    lastPosition: async () => last,
    subscribe: () => () => undefined,
  };
  return store as unknown as EventStore;
}

/**
 * The watch dispatcher's state at size, without a service: the heap a MessageDeriver holds per
 * 100,000 statements after folding the data set and how long the fold takes (a start without a
 * checkpoint), then the checkpoint of that state: how long saving it whole takes, its size, and
 * how long a restarted dispatcher takes to load it (a start with one), with the heap it then holds.
 */
export async function watchStateWorkload(shape: Shape): Promise<BenchResult[]> {
  const notes = `${shape.statements} statements of ${shape.actors} actors on ${shape.topics} topics, in-process (no store, no service)`;
  const before = heapMiB();
  const started = performance.now();
  const deriver = new MessageDeriver();
  let first: StoredEvent | null = null;
  for (const event of storedEvents(shape)) {
    first ??= event;
    deriver.apply(event);
  }
  const foldMs = performance.now() - started;
  const held = heapMiB() - before;
  const parts = deriver.takeChanges();
  log(`watch state: ${shape.statements} statements folded in ${(foldMs / 1000).toFixed(1)} s, heap +${held.toFixed(1)} MiB (${((held * 100_000) / shape.statements).toFixed(1)} MiB per 100,000)`);

  const dir = mkdtempSync(join(tmpdir(), 'positions-bench-watch-'));
  try {
    const file = join(dir, 'watch.db');
    const saving = performance.now();
    const saved = { identity: { kind: 'bench', firstEvent: `${first!.eventId}@1` }, format: 1, head: { position: deriver.position, forgottenThrough: 0 } };
    const toRow = (part: StatePart) => ({ kind: part.kind, key: part.key, data: JSON.stringify(part.data) });
    const checkpoint = new WatchCheckpoint(openViewsDatabase(file));
    await checkpoint.save(saved, parts, toRow, [], () => new Promise((resolve) => setImmediate(resolve)));
    checkpoint.close();
    const saveMs = performance.now() - saving;
    const fileMiB = statSync(file).size / 2 ** 20;
    parts.length = 0;
    const loading = performance.now();
    const restarted = new WatchDispatcher(logBehindCheckpoint(first!, deriver.position), new WatchCheckpoint(openViewsDatabase(file)));
    restarted.onModuleInit();
    await restarted.caughtUp();
    const loadMs = performance.now() - loading;
    if (restarted.position !== deriver.position) throw new Error(`the checkpoint loaded at ${restarted.position}, not ${deriver.position}`);
    const heldAfterLoad = heapMiB() - before - held;
    log(`watch checkpoint: saved whole in ${(saveMs / 1000).toFixed(1)} s (${fileMiB.toFixed(0)} MiB), loaded in ${(loadMs / 1000).toFixed(1)} s, heap +${heldAfterLoad.toFixed(1)} MiB`);
    restarted.onApplicationShutdown();
    return [
      row('watch state heap per 100k statements', (held * 100_000) / shape.statements, 'MiB', notes),
      row('watch start without checkpoint (fold)', foldMs / 1000, 's', notes),
      row('watch checkpoint save (whole state)', saveMs / 1000, 's', `${notes}; ${fileMiB.toFixed(0)} MiB on disk`),
      row('watch start from checkpoint (load)', loadMs / 1000, 's', `${notes}; heap after load +${heldAfterLoad.toFixed(0)} MiB`),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
