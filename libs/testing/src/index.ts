export * from './decider-spec';
export * from './fixtures';
export * from './projection-spec';
export * from './intake-articles';
export * from './event-loop-turns';
