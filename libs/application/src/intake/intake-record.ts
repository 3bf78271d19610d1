import { type ReadModels } from '@positions/projections';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { actorPages } from '../queries/actors.queries';
import type { RegisteredActor } from './actor-matcher';
import type { TopicRecord } from './stance-suggester';

/** Every registered actor, for attribution: read a piece at a time, other requests going on between pieces. */
export async function registeredActors(views: ReadModels): Promise<RegisteredActor[]> {
  const actors: RegisteredActor[] = [];
  for await (const piece of actorPages(views)) for (const { id, name, kind, aliases } of piece) actors.push({ id, name, kind, aliases });
  return actors;
}

/**
 * The most a reading learns from per topic: at a real record's size (a million statements) every
 * statement of every topic would be read and copied to the worker for each article.
 */
const SPEAKERS_READ_PER_TOPIC = 200;
const STATEMENTS_PER_TOPIC = 1000;

/**
 * Each topic with its codebook and statements recorded on it as the record stands at `nowMs` (a bounded sample),
 * retracted ones left out. A topic's sample is read in one turn (up to SPEAKERS_READ_PER_TOPIC timelines), with a
 * pause before the next topic: a record of a hundred large topics took one turn of about a second.
 */
export async function topicRecords(views: ReadModels, nowMs: number): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  for (const { id, title, proposition, stances } of views.topics()) {
    if (records.length > 0) await yieldToRequests();
    const statements = views
      .topicSpeakers(id, nowMs, '', SPEAKERS_READ_PER_TOPIC)
      .flatMap((actorId) =>
        views.timeline(actorId, id, nowMs).map(({ fields }) => ({ stance: fields.stance, summary: fields.summary, ...(fields.quote !== undefined && { quote: fields.quote }) })),
      )
      .slice(0, STATEMENTS_PER_TOPIC);
    records.push({ id, title, proposition, stances, statements });
  }
  return records;
}
