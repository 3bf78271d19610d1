import { EVENT_STORE, OpenTopicCommand, RegisterActorCommand } from '@positions/application';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandBus } from '@nestjs/cqrs';
import { positionStream, SCHEMA_VERSIONS } from '@positions/domain';
import type { EventStore } from '@positions/event-store';
import { ProjectionRunner } from '@positions/projections';
import { randomUUID } from 'node:crypto';
import { actorId, type Shape, STANCES, statements, topicId } from './dataset';
import { log } from './measure';

const context = () => ({ recordedBy: 'cli:bench', correlationId: 'bench-seed', causationId: randomUUID() });

/** Registers the data set's actors and topics through the commands, concurrently. */
export async function seedActorsAndTopics(app: NestFastifyApplication, shape: Pick<Shape, 'actors' | 'topics'>): Promise<void> {
  const commands = app.get(CommandBus);
  const run = async <T>(count: number, make: (i: number) => Promise<T>) => {
    for (let from = 0; from < count; from += 500) await Promise.all(Array.from({ length: Math.min(500, count - from) }, (_, k) => make(from + k)));
  };
  await run(shape.actors, (i) => commands.execute(new RegisterActorCommand({ id: actorId(i), name: `Actor ${i}`, kind: 'person', aliases: [] }, context())));
  await run(shape.topics, (i) =>
    commands.execute(new OpenTopicCommand({ id: topicId(i), title: `Topic ${i}`, proposition: `Proposition ${i} should happen`, stances: STANCES }, context())),
  );
}

/**
 * Appends the data set's statements straight to the store (valid by construction), many
 * appends at a time so that group commit batches them, and waits for the views: a fast way to
 * a large store for the query workloads. The `import` workload measures the CLI's own path.
 */
export async function seedStatements(app: NestFastifyApplication, shape: Shape): Promise<void> {
  const store = app.get<EventStore>(EVENT_STORE);
  const runner = app.get(ProjectionRunner);
  const streamPositions = new Map<string, number>();
  let pending: Promise<unknown>[] = [];
  let done = 0;
  for (const s of statements(shape)) {
    const stream = positionStream(s.actorId, s.topicId);
    const expected = streamPositions.get(stream) ?? -1;
    streamPositions.set(stream, expected + 1);
    const { actorId: _a, topicId: _t, ...fields } = s;
    const data = { statementId: randomUUID(), ...fields };
    pending.push(store.append(stream, [{ type: 'PositionStated', schemaVersion: SCHEMA_VERSIONS.PositionStated, data }], expected, context()));
    if (pending.length === 2000) {
      await Promise.all(pending);
      pending = [];
      done += 2000;
      if (done % 100_000 === 0) log(`seeded ${done}/${shape.statements} statements`);
    }
  }
  await Promise.all(pending);
  await runner.waitFor(await store.lastPosition());
}
