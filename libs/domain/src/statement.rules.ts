import { affiliationCovers } from './actor.state';
import { ActorNotFound } from './actor.errors';
import { InvalidValue } from './errors';
import { assertSlug } from './ids';
import { NoAffiliationOnDate, StanceNotInCodebook, StatedInTheFuture } from './position.errors';
import type { StatementFacts } from './position.commands';
import type { Source, StatementFields } from './position.events';
import { assertText } from './text';
import { TopicNotFound } from './topic.errors';
import { recordedRange, statedRangeOf, STATED_ON_FORMS } from './stated-on';
import { isDate } from './valid-time';

export const MAX_URL_LENGTH = 2048;

/** The facts after the existence checks: the actor and topic are registered. */
export type CheckedFacts = StatementFacts & { actor: NonNullable<StatementFacts['actor']>; topic: NonNullable<StatementFacts['topic']> };

export function assertActorAndTopic(facts: StatementFacts, actorId: string, topicId: string): CheckedFacts {
  if (facts.actor === null) throw new ActorNotFound(actorId, 'actorId');
  if (facts.topic === null) throw new TopicNotFound(topicId, 'topicId');
  return facts as CheckedFacts;
}

/**
 * Checks the fields a statement is recorded or corrected with, each only when present
 * (`prefix` names them as a correction's `changes.*`).
 */
export function assertStatementFields(fields: Partial<StatementFields>, facts: CheckedFacts, prefix = ''): void {
  if (fields.stance !== undefined && !facts.topic.stances.some((s) => s.code === fields.stance)) {
    throw new StanceNotInCodebook(fields.stance, facts.topic.id, `${prefix}stance`);
  }
  if (fields.summary !== undefined) assertText(fields.summary, 'summary', `${prefix}summary`);
  if (fields.quote !== undefined) assertText(fields.quote, 'quote', `${prefix}quote`);
  if (fields.source !== undefined) assertSource(fields.source, `${prefix}source`);
  if (fields.statedOnWording !== undefined) assertText(fields.statedOnWording, 'statedOnWording', `${prefix}statedOnWording`);
  if (fields.statedOn !== undefined) assertStatedOn(fields.statedOn, facts.recordedAt, `${prefix}statedOn`);
}

function assertStatedOn(statedOn: string, recordedAt: string, field: string): void {
  const range = statedRangeOf(statedOn);
  if (range === null) throw new InvalidValue(`${field} must be ${STATED_ON_FORMS}`, field);
  // A range may reach past the moment of recording (it is clipped there); its start may not.
  if (range.earliest > Date.parse(recordedAt)) throw new StatedInTheFuture(statedOn, recordedAt, field);
}

export function assertSource(source: Source, field: string): void {
  if (source.url === undefined && source.title === undefined) {
    throw new InvalidValue('a source needs at least a url or a title', field);
  }
  if (source.url !== undefined && !isHttpUrl(source.url)) {
    throw new InvalidValue(`url must be an http or https URL of at most ${MAX_URL_LENGTH} characters`, `${field}.url`);
  }
  if (source.title !== undefined) assertText(source.title, 'title', `${field}.title`);
  if (source.publisher !== undefined) assertText(source.publisher, 'publisher', `${field}.publisher`);
  if (source.publishedOn !== undefined && !isDate(source.publishedOn)) {
    throw new InvalidValue('publishedOn must be a date (YYYY-MM-DD)', `${field}.publishedOn`);
  }
}

/** Syntax only, without the WHATWG URL class: the domain imports nothing, not even Node globals. */
export function isHttpUrl(value: string): boolean {
  return value.length <= MAX_URL_LENGTH && /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value);
}

/** `onBehalfOf`, if given, names an actor the speaker is affiliated with over the whole range of `statedOn`. */
export function assertOnBehalfOf(speakerId: string, onBehalfOf: string | undefined, statedOn: string, facts: CheckedFacts, field = 'onBehalfOf'): void {
  if (onBehalfOf === undefined) return;
  assertSlug(onBehalfOf, field);
  // Undefined: not looked up, as when a correction moves only the date of a statement whose
  // organization was checked when it was recorded.
  if (facts.onBehalfOfActor === null) throw new ActorNotFound(onBehalfOf, field);
  const { earliest, latest } = recordedRange(statedOn, Date.parse(facts.recordedAt));
  const covered = facts.actor.affiliations.some(
    (a) => a.organizationId === onBehalfOf && affiliationCovers(a, earliest) && affiliationCovers(a, latest),
  );
  if (!covered) throw new NoAffiliationOnDate(speakerId, onBehalfOf, statedOn, field);
}

