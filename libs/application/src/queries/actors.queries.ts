import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActorNotFound } from '@positions/domain';
import { type ActorView, ReadModels } from '@positions/projections';
import { NameMatcher } from './name-search';

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
  private readonly matcher = new NameMatcher<ActorView>((a) => [{ text: a.name, weight: 3 }, ...a.aliases.map((text) => ({ text, weight: 2 })), { text: a.id, weight: 1 }]);

  constructor(private readonly views: ReadModels) {}

  async execute({ q }: ListActorsQuery): Promise<ActorView[]> {
    if (q === undefined) return this.views.actors();
    return this.matcher.bestMatches(this.views.actorChanges, () => this.views.actors(), q);
  }
}
