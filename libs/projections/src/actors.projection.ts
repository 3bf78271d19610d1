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

/**
 * A piece of the listing: the registered actors among the next `limit` after `after` (by id), and
 * where the next piece starts (null: there is none).
 */
export function actorViewsAfter(read: ViewReader, after: string, limit: number): { actors: ActorView[]; next: string | null } {
  const { documents, last } = read.documentsAfter<ActorState>(actorsProjection.name, after, limit);
  return { actors: documents.filter((a): a is ActorView => a.registered), next: documents.length < limit ? null : last };
}
