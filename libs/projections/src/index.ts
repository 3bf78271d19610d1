export * from './projection';
export * from './views-database';
export * from './checkpoints';
export * from './projection-runner';
export * from './rebuild-tracker';
export * from './document-view';
export * from './actors.projection';
export * from './topics.projection';
export * from './members.projection';
export * from './statements.projection';
export * from './stance-counts.projection';
export * from './read-models';

import { actorsProjection } from './actors.projection';
import { membersProjection } from './members.projection';
import { stanceCountsProjection } from './stance-counts.projection';
import { statementsProjection } from './statements.projection';
import { topicsProjection } from './topics.projection';

/** Every read model the service keeps. A new view is one file, listed here. */
export const ALL_PROJECTIONS = [actorsProjection, topicsProjection, membersProjection, statementsProjection, stanceCountsProjection] as const;
export * from './store-identity';
