/**
 * A decider: the whole behaviour of one stream kind as three pure functions.
 * The application loads a stream, folds it with `evolve` from `initialState`,
 * asks `decide` for new events and appends them with the expected position.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /**
   * Optional: the same as reducing `events` with `evolve`, in time linear in the state's size
   * plus the events. For states that `evolve` must copy per event (a stream of thousands of
   * statements would otherwise fold in quadratic time). Never changes `state`.
   */
  evolveAll?(state: State, events: readonly Event[]): State;
  /** Returns the events the command produces, or throws a `DomainError`. */
  decide(command: Command, state: State): Event[];
}

/** What folding a stream needs of a decider. */
export type Folder<E, S> = Pick<Decider<unknown, E, S>, 'initialState' | 'evolve' | 'evolveAll'>;

/** Applies events to a state, through `evolveAll` when the decider has one. */
export function evolveAll<E, S>(decider: Pick<Decider<unknown, E, S>, 'evolve' | 'evolveAll'>, state: S, events: readonly E[]): S {
  if (decider.evolveAll) return decider.evolveAll(state, events);
  return events.reduce((s, event) => decider.evolve(s, event), state);
}

/** Folds events into state: the same fold the application and tests use. */
export function fold<E, S>(decider: Folder<E, S>, events: readonly E[]): S {
  return evolveAll(decider, decider.initialState(), events);
}
