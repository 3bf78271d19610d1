import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActorNotFound } from '@positions/domain';
import { type ActorView, ReadModels } from '@positions/projections';
import { NameMatcher } from './name-search';

/** An actor as `GET /api/actors/{id}` answers it: the view's fields the contract names, no others. */
export type ActorAnswer = Pick<ActorView, 'id' | 'name' | 'kind' | 'aliases' | 'wikidataId' | 'affiliations'>;

export function actorAnswer({ id, name, kind, aliases, wikidataId, affiliations }: ActorView): ActorAnswer {
  return { id, name, kind, aliases, wikidataId, affiliations: affiliations.map(({ organizationId, role, from, until, speaksFor }) => ({ organizationId, role, from, until, speaksFor })) };
}

export class GetActorQuery extends Query<ActorView> {
  constructor(readonly actorId: string) {
    super();
  }
}

/** Every actor by id; with `q`, those whose name or an alias matches, best first. */
export class ListActorsQuery extends Query<ActorView[]> {
  constructor(readonly q?: string) {
    super();
  }
}

/** Every registered actor by id, a piece of ACTORS_PER_TURN at a time with a pause between: what `GET /api/actors` streams. */
export class ActorListingQuery extends Query<AsyncIterable<ActorView[]>> {}

/** Actors read and parsed per turn of the event loop when the whole listing is gone through (10,000 took 12–21 ms in one). */
export const ACTORS_PER_TURN = 1000;

/** The listing in pieces by id, other requests going on between them: its cost per turn stays the same whatever the record's size. */
export async function* actorPages(views: ReadModels, perTurn = ACTORS_PER_TURN): AsyncGenerator<ActorView[]> {
  for (let after: string | null = '', first = true; after !== null; first = false) {
    if (!first) await yieldToRequests();
    const piece: { actors: ActorView[]; next: string | null } = views.actorsAfter(after, perTurn);
    if (piece.actors.length > 0) yield piece.actors;
    after = piece.next;
  }
}

@QueryHandler(GetActorQuery)
export class GetActorHandler implements IQueryHandler<GetActorQuery> {
  constructor(private readonly views: ReadModels) {}

  async execute({ actorId }: GetActorQuery): Promise<ActorView> {
    const actor = this.views.actor(actorId);
    if (!actor) throw new ActorNotFound(actorId, 'actorId');
    return actor;
  }
}

@QueryHandler(ListActorsQuery)
export class ListActorsHandler implements IQueryHandler<ListActorsQuery> {
  private readonly matcher = new NameMatcher<ActorView>((a) => [{ text: a.name, weight: 3 }, ...a.aliases.map((text) => ({ text, weight: 2 })), { text: a.id, weight: 1 }]);

  constructor(private readonly views: ReadModels) {}

  async execute({ q }: ListActorsQuery): Promise<ActorView[]> {
    if (q === undefined) return this.views.actors();
    return this.matcher.bestMatches(this.views.actorChanges, () => actorPages(this.views), q);
  }
}

@QueryHandler(ActorListingQuery)
export class ActorListingHandler implements IQueryHandler<ActorListingQuery> {
  constructor(private readonly views: ReadModels) {}

  async execute(): Promise<AsyncIterable<ActorView[]>> {
    return actorPages(this.views);
  }
}
