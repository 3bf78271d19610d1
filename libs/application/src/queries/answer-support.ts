import { ActorNotFound, type Alternative, type Certainty, endInstant, formatInstant, type Source, type Stance, TopicNotFound } from '@positions/domain';
import { type IndexedStatement, KNOWN_NOW, type Openness, type ReadModels, type ScoreOf, type TopicView } from '@positions/projections';

/**
 * `at` and `knownAt` as given, and as instants: a bare date means the end of its UTC day.
 * `at` omitted is now. `knownAt` omitted is what the views stand behind (`knownThrough`, the
 * read models' own): the answer uses it and echoes it, so asking again with the echoed
 * `knownAt` gives the same answer even while a commit is in flight or another process's events
 * are not taken in yet. Before any event, it is now and every record time (`KNOWN_NOW`).
 * Every query with a `knownAt` reads it here.
 */
export function timeOf(nowIso: string, at?: string, knownAt?: string, knownThrough: number | null = null) {
  const known =
    knownAt !== undefined
      ? { knownAt, knownAtMs: endInstant(knownAt, 'knownAt') }
      : knownThrough === null
        ? { knownAt: nowIso, knownAtMs: KNOWN_NOW }
        : { knownAt: formatInstant(knownThrough), knownAtMs: knownThrough };
  return { at: at ?? nowIso, atMs: endInstant(at ?? nowIso, 'at'), ...known };
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

/** Orders alternatives by the topic's scores. */
export const scoresOf = (topic: TopicView): ScoreOf => (code) => stanceIn(topic, code)?.score ?? 0;

/** Another answer the sources leave open, its stance rendered as everywhere in answers. */
export interface AlternativeAnswer {
  stance: Stance | null;
  statementId: string | null;
}

/** `certainty` and `alternatives` of a position answer (docs/domain.md, "Dates as the sources give them"). */
export interface OpennessAnswer {
  certainty: Certainty;
  alternatives: AlternativeAnswer[];
}

export function opennessIn(topic: TopicView, { certainty, alternatives }: Openness): OpennessAnswer {
  return { certainty, alternatives: alternatives.map((a: Alternative) => ({ stance: a.stance === null ? null : stanceIn(topic, a.stance), statementId: a.statementId })) };
}

/** What a position answer says when nothing was even possibly stated by then. */
export const CERTAINLY_NOTHING: OpennessAnswer = { certainty: 'certain', alternatives: [] };

/** The statement behind an answer: its id leads to the events it came from. */
export interface StatementRef {
  statementId: string;
  statedOn: string;
  statedOnWording: string | null;
  /** The range it may have been said in (ISO-8601 UTC), clipped at its recording. */
  earliest: string;
  latest: string;
  summary: string;
  quote: string | null;
  source: Source;
  onBehalfOf: string | null;
  recordedAt: string;
}

export function statementRef({ statementId, fields, recordedAt, earliest, latest }: IndexedStatement): StatementRef {
  const { statedOn, statedOnWording, summary, quote, source, onBehalfOf } = fields;
  return {
    statementId,
    statedOn,
    statedOnWording: statedOnWording ?? null,
    earliest: formatInstant(earliest),
    latest: formatInstant(latest),
    summary,
    quote: quote ?? null,
    source,
    onBehalfOf: onBehalfOf ?? null,
    recordedAt,
  };
}
