/**
 * A decider: the whole behaviour of one stream kind as three pure functions.
 * The application loads a stream, folds it with `evolve` from `initialState`,
 * asks `decide` for new events and appends them with the expected position.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command produces, or throws a `DomainError`. */
  decide(command: Command, state: State): Event[];
}

/** Folds events into state: the same fold the application and tests use. */
export function fold<E, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
