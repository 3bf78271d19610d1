import type { ActorEvent } from './actor.events';
import type { PositionEvent } from './position.events';
import type { TopicEvent } from './topic.events';

export type DomainEvent = ActorEvent | TopicEvent | PositionEvent;

/**
 * The schema version each event type is written with today. A new shape of an event gets a
 * new number here, its old shape frozen in `*.events.v1.ts`, and an upcaster.
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
};
