import { type ReadModels } from '@positions/projections';
import type { RegisteredActor } from './actor-matcher';
import type { TopicRecord } from './stance-suggester';

/** Every registered actor, for attribution. */
export function registeredActors(views: ReadModels): RegisteredActor[] {
  return views.actors().map(({ id, name, kind, aliases }) => ({ id, name, kind, aliases }));
}

/** Each topic with its codebook and the statements recorded on it as the record stands at `nowMs`, retracted ones left out. */
export function topicRecords(views: ReadModels, nowMs: number): TopicRecord[] {
  return views.topics().map(({ id, title, proposition, stances }) => ({
    id,
    title,
    proposition,
    stances,
    statements: views.topicSpeakers(id, nowMs).flatMap((actorId) =>
      views.timeline(actorId, id, nowMs).map(({ fields }) => ({ stance: fields.stance, summary: fields.summary, ...(fields.quote !== undefined && { quote: fields.quote }) })),
    ),
  }));
}
