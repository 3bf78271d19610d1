import { type ActorEvent, type ActorState, evolveActor, initialActorState, parseStream } from '@positions/domain';
import { stateProjection } from './state.projection';

export const ACTORS_VIEW = 'actors';

export const actorsProjection = stateProjection<ActorState, ActorEvent>({
  name: ACTORS_VIEW,
  version: 1,
  table: 'actors_v1',
  handles: ['ActorRegistered', 'ActorRenamed', 'ActorAliasAdded', 'AffiliationBegan', 'AffiliationEnded'],
  idOf: (streamId) => {
    const ref = parseStream(streamId);
    return ref?.kind === 'actor' ? ref.actorId : null;
  },
  initialState: initialActorState,
  evolve: evolveActor,
});
