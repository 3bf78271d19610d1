/**
 * `@positions/application/read`: the questions alone. Loading it loads no command handler, no
 * importer (class-validator) and no intake, which a CLI query would otherwise pay for at every start
 * (docs/decisions/0034-cli-queries-read-only-module.md). Everything here is also exported by
 * `@positions/application`.
 */
export * from '../tokens';
export type { ApplicationOptions } from './views.providers';
export * from './read-application.module';
export * from '../queries/actors.queries';
export * from '../queries/topics.queries';
export * from '../queries/position-at.query';
export * from '../queries/statements.queries';
export * from '../queries/search-statements.query';
export * from '../queries/topic-feed.query';
export * from '../queries/topic-panel.query';
export * from '../queries/panel-periods';
export * from '../queries/panel-format';
export * from '../queries/timeline.query';
export * from '../queries/events.query';
export * from '../queries/answer-support';
export * from '../queries/landscape.queries';
export { ACTOR_PAGE_BYTES, type ActorPageRequest, DEFAULT_ACTOR_PAGE, MAX_ACTOR_PAGE, MAX_ACTORS_READ } from '../queries/actor-pages';
export * from '../queries/voice.query';
export * from '../queries/stance-counts.query';
