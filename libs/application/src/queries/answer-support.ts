import { ActorNotFound, endInstant, type Source, type Stance, TopicNotFound } from '@positions/domain';
import { type IndexedStatement, KNOWN_NOW, type ReadModels, type TopicView } from '@positions/projections';

/**
 * `at` and `knownAt` as given (now when omitted), and as instants: a bare date means the end
 * of its UTC day; an omitted `knownAt` means every record time (`KNOWN_NOW`). Every query
 * with a `knownAt` reads it here.
 */
export function timeOf(nowIso: string, at?: string, knownAt?: string) {
  return {
    at: at ?? nowIso,
    knownAt: knownAt ?? nowIso,
    atMs: endInstant(at ?? nowIso, 'at'),
    knownAtMs: knownAt === undefined ? KNOWN_NOW : endInstant(knownAt, 'knownAt'),
  };
}

export function requireTopic(views: ReadModels, topicId: string): TopicView {
  const topic = views.topic(topicId);
  if (!topic) throw new TopicNotFound(topicId, 'topicId');
  return topic;
}

export function requireActor(views: ReadModels, actorId: string, field = 'actorId'): void {
  if (!views.actor(actorId)) throw new ActorNotFound(actorId, field);
}

/** The stance object of a code in the topic's codebook. */
export const stanceIn = (topic: TopicView, code: string): Stance | null => topic.stances.find((s) => s.code === code) ?? null;

/** The statement behind an answer: its id leads to the events it came from. */
export interface StatementRef {
  statementId: string;
  statedOn: string;
  summary: string;
  quote: string | null;
  source: Source;
  onBehalfOf: string | null;
  recordedAt: string;
}

export function statementRef({ statementId, fields, recordedAt }: IndexedStatement): StatementRef {
  const { statedOn, summary, quote, source, onBehalfOf } = fields;
  return { statementId, statedOn, summary, quote: quote ?? null, source, onBehalfOf: onBehalfOf ?? null, recordedAt };
}
