import { type ReadModels } from '@positions/projections';
import type { RegisteredActor } from './actor-matcher';
import type { TopicRecord } from './stance-suggester';

/** Every registered actor, for attribution. */
export function registeredActors(views: ReadModels): RegisteredActor[] {
  return views.actors().map(({ id, name, kind, aliases }) => ({ id, name, kind, aliases }));
}

/**
 * The most a reading learns from per topic: at a real record's size (a million statements) every
 * statement of every topic would be read and copied to the worker for each article.
 */
const SPEAKERS_READ_PER_TOPIC = 200;
const STATEMENTS_PER_TOPIC = 1000;

/** Each topic with its codebook and statements recorded on it as the record stands at `nowMs` (a bounded sample), retracted ones left out. */
export function topicRecords(views: ReadModels, nowMs: number): TopicRecord[] {
  return views.topics().map(({ id, title, proposition, stances }) => ({
    id,
    title,
    proposition,
    stances,
    statements: views
      .topicSpeakers(id, nowMs, '', SPEAKERS_READ_PER_TOPIC)
      .flatMap((actorId) =>
        views.timeline(actorId, id, nowMs).map(({ fields }) => ({ stance: fields.stance, summary: fields.summary, ...(fields.quote !== undefined && { quote: fields.quote }) })),
      )
      .slice(0, STATEMENTS_PER_TOPIC),
  }));
}
