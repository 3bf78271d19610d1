import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActorNotFound } from '@positions/domain';
import { type ActorView, ReadModels } from '@positions/projections';

export class GetActorQuery extends Query<ActorView> {
  constructor(readonly actorId: string) {
    super();
  }
}

export class ListActorsQuery extends Query<ActorView[]> {}

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

  async execute(): Promise<ActorView[]> {
    return this.views.actors();
  }
}
