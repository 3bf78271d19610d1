import { Command, CommandHandler, type ICommandHandler, IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@positions/domain';
import { type ProjectionInfo, ProjectionRunner, type RebuildProgress } from '@positions/projections';

export class ProjectionNotFound extends DomainError {
  readonly code = 'PROJECTION.NOT_FOUND';
  readonly kind = 'not-found';
  constructor(name: string) {
    super(`no projection is named '${name}'`, 'name');
  }
}

/** Starts rebuilding a view from the whole log, blue/green; answers at once with its progress. */
export class RebuildProjectionCommand extends Command<{ name: string; rebuild: RebuildProgress }> {
  constructor(readonly name: string) {
    super();
  }
}

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(private readonly runner: ProjectionRunner) {}

  async execute({ name }: RebuildProjectionCommand): Promise<{ name: string; rebuild: RebuildProgress }> {
    if (!this.runner.has(name)) throw new ProjectionNotFound(name);
    return { name, rebuild: (await this.runner.rebuild(name)).progress };
  }
}

export class ListProjectionsQuery extends Query<ProjectionInfo[]> {}

@QueryHandler(ListProjectionsQuery)
export class ListProjectionsHandler implements IQueryHandler<ListProjectionsQuery> {
  constructor(private readonly runner: ProjectionRunner) {}

  async execute(): Promise<ProjectionInfo[]> {
    return this.runner.info();
  }
}
