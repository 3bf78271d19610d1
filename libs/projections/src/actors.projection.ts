import { type ActorEvent, type ActorState, evolveActor, initialActorState, parseStream, toDomainEvent } from '@positions/domain';
import { documentProjection } from './document-view';
import type { ViewReader } from './view-reader';

export type ActorView = Extract<ActorState, { registered: true }>;

/** Each actor as the domain's own fold of its stream: the read side and the deciders agree. */
export const actorsProjection = documentProjection<ActorState>({
  name: 'actors',
  version: 1,
  handles: ['ActorRegistered', 'ActorRenamed', 'ActorAliasAdded', 'AffiliationBegan', 'AffiliationEnded'],
  keyOf: (event) => {
    const ref = parseStream(event.streamId);
    return ref?.kind === 'actor' ? ref.actorId : null;
  },
  evolve: (row, event) => evolveActor(row ?? initialActorState(), toDomainEvent<ActorEvent>(event)),
});

export function actorView(read: ViewReader, id: string): ActorView | null {
  const actor = read.document<ActorState>(actorsProjection.name, id);
  return actor?.registered ? actor : null;
}

export function actorViews(read: ViewReader): ActorView[] {
  return read.documents<ActorState>(actorsProjection.name).filter((a): a is ActorView => a.registered);
}
