export * from './projection';
export * from './views-database';
export * from './projection-runner';
export * from './state.projection';
export * from './actors.projection';
export * from './topics.projection';
export * from './statements.projection';
export * from './read-models';

import { actorsProjection } from './actors.projection';
import { statementsProjection } from './statements.projection';
import { topicsProjection } from './topics.projection';

/** Every read model the service keeps. */
export const ALL_PROJECTIONS = [actorsProjection, topicsProjection, statementsProjection] as const;
