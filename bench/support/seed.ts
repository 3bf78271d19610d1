import { OpenTopicCommand, RegisterActorCommand } from '@positions/application';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { actorId, type Shape, STANCES, topicId } from './dataset';

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
