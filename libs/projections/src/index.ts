export * from './projection';
export * from './views-database';
export * from './checkpoints';
export * from './projection-runner';
export type { RebuildProgress } from './rebuild';
export * from './document-view';
export * from './actors.projection';
export * from './topics.projection';
export * from './members.projection';
export * from './statements.projection';
export * from './stance-counts.projection';
export * from './statements.reader';
export * from './statement-search.projection';
export * from './statement-search.reader';
export * from './statement-search.match';
export * from './statement-search.tables';
export * from './topic-feed.reader';
export * from './topic-speakers.projection';
export * from './read-models';
export * from './module-thread';
export * from './search-thread';

import { actorsProjection } from './actors.projection';
import { membersProjection } from './members.projection';
import { stanceCountsProjection } from './stance-counts.projection';
import { statementSearchProjection } from './statement-search.projection';
import { statementsProjection } from './statements.projection';
import { topicSpeakersProjection } from './topic-speakers.projection';
import { topicsProjection } from './topics.projection';

/** Every read model the service keeps: each is fed, rebuilt and reported on by the runner. */
export const ALL_PROJECTIONS = [actorsProjection, topicsProjection, membersProjection, statementsProjection, stanceCountsProjection, statementSearchProjection, topicSpeakersProjection] as const;
export * from './store-identity';
export * from './watch-checkpoint';
