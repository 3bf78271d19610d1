import type { ActorEvent } from './actor.events';
import type { IntakeEvent } from './intake.events';
import type { PositionEvent } from './position.events';
import type { TopicEvent } from './topic.events';

export type DomainEvent = ActorEvent | TopicEvent | PositionEvent | IntakeEvent;

/**
 * The schema version each event type is written with today. A new shape of an event gets a
 * new number here and, in `upcasters.ts`, the function that turns the old shape's data into
 * the new one (every type is at version 1 today, so there is none yet).
 */
export const SCHEMA_VERSIONS: Readonly<Record<DomainEvent['type'], number>> = {
  ActorRegistered: 1,
  ActorRenamed: 1,
  ActorAliasAdded: 1,
  AffiliationBegan: 1,
  AffiliationEnded: 1,
  TopicOpened: 1,
  StanceAdded: 1,
  PositionStated: 1,
  StatementCorrected: 1,
  StatementRetracted: 1,
  ArticleTaken: 1,
  CandidateAccepted: 1,
  CandidateRejected: 1,
};
