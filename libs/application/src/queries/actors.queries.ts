import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActorNotFound } from '@positions/domain';
import { type ActorView, ReadModels } from '@positions/projections';
import { bestMatches } from './name-search';

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
  constructor(private readonly views: ReadModels) {}

  async execute({ q }: ListActorsQuery): Promise<ActorView[]> {
    const actors = this.views.actors();
    if (q === undefined) return actors;
    return bestMatches(actors, q, (a) => [{ text: a.name, weight: 3 }, ...a.aliases.map((text) => ({ text, weight: 2 })), { text: a.id, weight: 1 }]);
  }
}
