import { MessageDeriver } from '@positions/application';
import type { StoredEvent } from '@positions/event-store';
import { randomUUID } from 'node:crypto';
import { type BenchResult, log } from '../support/measure';
import { type Shape, STANCES, statements, topicId } from '../support/dataset';

const heapMiB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

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

/**
 * The watch dispatcher's state at size, without a service: the heap a MessageDeriver holds per
 * 100,000 statements after folding the data set, and how long the fold takes.
 */
export function watchStateWorkload(shape: Shape): BenchResult[] {
  const before = heapMiB();
  const started = performance.now();
  const deriver = new MessageDeriver();
  for (const event of storedEvents(shape)) deriver.apply(event);
  const foldMs = performance.now() - started;
  // As a checkpoint does: what changed is written and no longer tracked.
  deriver.takeChanges();
  const held = heapMiB() - before;
  // Still in use here, so the heap measured above still holds it.
  if (deriver.position === 0) throw new Error('nothing was folded');
  const per100k = (held * 100_000) / shape.statements;
  log(`watch state: ${shape.statements} statements folded in ${(foldMs / 1000).toFixed(1)} s, heap +${held.toFixed(1)} MiB (${per100k.toFixed(1)} MiB per 100,000)`);
  const notes = `${shape.statements} statements of ${shape.actors} actors on ${shape.topics} topics, folded in-process (no store)`;
  return [
    { name: 'watch state heap per 100k statements', value: per100k, unit: 'MiB', baseline: null, baselineValue: null, ratio: null, notes },
    { name: 'watch state fold', value: foldMs / 1000, unit: 's', baseline: null, baselineValue: null, ratio: null, notes },
  ];
}
