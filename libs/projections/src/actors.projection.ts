import { type ActorEvent, type ActorState, evolveActor, initialActorState, parseStream } from '@positions/domain';
import { documentProjection } from './document-view';

/** Each actor as the domain's own fold of its stream: the read side and the deciders agree. */
export const actorsProjection = documentProjection<ActorState>({
  name: 'actors',
  version: 1,
  handles: ['ActorRegistered', 'ActorRenamed', 'ActorAliasAdded', 'AffiliationBegan', 'AffiliationEnded'],
  keyOf: (event) => {
    const ref = parseStream(event.streamId);
    return ref?.kind === 'actor' ? ref.actorId : null;
  },
  // Stored events are the domain's events as JSON: the one place they are cast back.
  evolve: (row, event) => evolveActor(row ?? initialActorState(), { type: event.type, data: event.data } as ActorEvent),
});
