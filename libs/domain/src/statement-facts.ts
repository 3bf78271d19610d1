import type { ActorKind } from './actor.events';
import type { ActorState } from './actor.state';
import type { StatementFacts } from './position.commands';
import type { TopicState } from './topic.decider';

/** What a decision needs to know of an organization (or any actor it names): null when none is registered under the id. */
export function actorFact(state: ActorState): { id: string; kind: ActorKind } | null {
  return state.registered ? { id: state.id, kind: state.kind } : null;
}

/**
 * The outside facts a statement is decided with, from the states of its actor, its topic and,
 * when it names one, the organization it speaks for (`organization` undefined: it names none).
 * One builder for every writer of statements (the API's handlers, the bulk import), so that
 * they decide with the same facts.
 */
export function statementFacts(actor: ActorState, topic: TopicState, organization: ActorState | undefined, recordedAt: string): StatementFacts {
  return {
    recordedAt,
    actor: actor.registered ? { id: actor.id, affiliations: actor.affiliations } : null,
    topic: topic.open ? { id: topic.id, stances: topic.stances } : null,
    onBehalfOfActor: organization === undefined ? undefined : actorFact(organization),
  };
}
