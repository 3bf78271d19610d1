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
 * What the samples of all topics hold at most, in characters of summary and quote, shared
 * equally among the topics: a thousand statements per topic was bounded per topic only, and a
 * hundred topics of long quotes copied hundreds of MB to the worker for each article.
 */
export const SAMPLE_CHARACTERS = 16_000_000;

/**
 * Each topic with its codebook and statements recorded on it as the record stands at `nowMs` (a bounded sample),
 * retracted ones left out. A topic's sample is read in one turn (up to SPEAKERS_READ_PER_TOPIC timelines), with a
 * pause before the next topic: a record of a hundred large topics took one turn of about a second. Each topic's
 * sample holds at most its share of `budget` characters (and at least one statement, if it has any).
 */
export async function topicRecords(views: ReadModels, nowMs: number, budget = SAMPLE_CHARACTERS): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  const topics = views.topics();
  const share = budget / Math.max(1, topics.length);
  for (const { id, title, proposition, stances } of topics) {
    if (records.length > 0) await yieldToRequests();
    const statements: TopicRecord['statements'][number][] = [];
    let characters = 0;
    sample: for (const actorId of views.topicSpeakers(id, nowMs, '', SPEAKERS_READ_PER_TOPIC)) {
      for (const { fields } of views.timeline(actorId, id, nowMs)) {
        const size = fields.summary.length + (fields.quote?.length ?? 0);
        if (statements.length === STATEMENTS_PER_TOPIC || (statements.length > 0 && characters + size > share)) break sample;
        statements.push({ stance: fields.stance, summary: fields.summary, ...(fields.quote !== undefined && { quote: fields.quote }) });
        characters += size;
      }
    }
    records.push({ id, title, proposition, stances, statements });
  }
  return records;
}
