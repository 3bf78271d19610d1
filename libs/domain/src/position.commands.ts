import type { Affiliation } from './actor.state';
import type { ActorKind } from './actor.events';
import type { StatementFields } from './position.events';
import type { Stance } from './topic.events';

/**
 * Outside facts a statement's rules need, read by the application before deciding:
 * null where the store has no such actor or topic.
 */
export interface StatementFacts {
  /** The moment of recording (ISO-8601 UTC); `statedOn` may not be later. */
  recordedAt: string;
  actor: { id: string; affiliations: Affiliation[] } | null;
  topic: { id: string; stances: Stance[] } | null;
  /** What the store says of `onBehalfOf`, when one is given. */
  onBehalfOfActor?: { id: string; kind: ActorKind } | null;
}

export type RecordStatement = {
  type: 'RecordStatement';
  statementId: string;
  actorId: string;
  topicId: string;
} & StatementFields &
  StatementFacts;

export type CorrectStatement = {
  type: 'CorrectStatement';
  statementId: string;
  changes: Partial<StatementFields>;
  reason: string;
} & StatementFacts;

export type RetractStatement = { type: 'RetractStatement'; statementId: string; reason: string };

export type PositionCommand = RecordStatement | CorrectStatement | RetractStatement;
