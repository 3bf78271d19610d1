/** Injection tokens for what the application needs from the outside. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** `() => Date`: the clock, injected so tests can set the time of recording. */
export const CLOCK = Symbol('CLOCK');

export type Clock = () => Date;
/** The local SQLite database of the read models. */
export const VIEWS_DATABASE = Symbol('VIEWS_DATABASE');
