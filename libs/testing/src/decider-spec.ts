import type { Decider, DomainErrorKind } from '@positions/domain';

/**
 * Given/when/then for any decider:
 *
 *   deciderSpec(actorDecider).given([registered]).when(command).then([event]);
 *   deciderSpec(actorDecider).given([]).when(command).thenThrows(ActorNotFound, { code: 'ACTOR.NOT_FOUND', kind: 'not-found' });
 *
 * The given events are folded with the decider's own `evolve`. Events, every folded state and the
 * command are deep-frozen copies, so a decider that mutates its input fails here instead of
 * corrupting a stream in production.
 */

/** A class whose instances are errors; abstract classes (`DomainError`) are allowed. */
export type ErrorClass<X extends Error> = abstract new (...args: never[]) => X;

/** What a refusal must say, beyond its class. Only the properties given are asserted; never the message. */
export interface ErrorExpectation {
  code?: string;
  kind?: DomainErrorKind;
  field?: string;
}

export interface DeciderThen<Event> {
  /** The command is accepted and produces exactly these events (deep, strict equality). */
  then(expected: readonly Event[]): void;
  /** The command is refused with an instance of `errorClass`; a code string or an expectation narrows it. Returns the error. */
  thenThrows<X extends Error>(errorClass: ErrorClass<X>, expected?: string | ErrorExpectation): X;
}

export interface DeciderWhen<Command, Event> {
  when(command: Command): DeciderThen<Event>;
}

export interface DeciderSpec<Command, Event> extends DeciderWhen<Command, Event> {
  given(events: readonly Event[]): DeciderWhen<Command, Event>;
}

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>): DeciderSpec<Command, Event> {
  const given = (events: readonly Event[]): DeciderWhen<Command, Event> => ({
    when: (command) => outcome(() => decideOnFrozen(decider, events, command)),
  });
  return { given, when: given([]).when };
}

function decideOnFrozen<Command, Event, State>(decider: Decider<Command, Event, State>, events: readonly Event[], command: Command): Event[] {
  const state = frozenCopy(events).reduce((s, event) => deepFreeze(decider.evolve(s, event)), deepFreeze(decider.initialState()));
  return decider.decide(frozenCopy(command), state);
}

function outcome<Event>(decide: () => Event[]): DeciderThen<Event> {
  return {
    then(expected) {
      let actual: Event[];
      try {
        actual = decide();
      } catch (error) {
        throw new Error(`expected the command to be accepted, but decide threw ${describeError(error)}`, { cause: error });
      }
      // Events are plain JSON: an `undefined` property, a class instance or a missing event is a real difference.
      expect(actual).toStrictEqual(expected);
    },
    thenThrows<X extends Error>(errorClass: ErrorClass<X>, expected?: string | ErrorExpectation): X {
      let events: Event[];
      try {
        events = decide();
      } catch (error) {
        expect(error).toBeInstanceOf(errorClass);
        const expectation = typeof expected === 'string' ? { code: expected } : (expected ?? {});
        expect(pick(error as X, expectation)).toEqual(expectation);
        return error as X;
      }
      throw new Error(`expected the command to be refused with ${errorClass.name}, but it was accepted with:\n${JSON.stringify(events, null, 2)}`);
    },
  };
}

/** The error's own values of the expected keys, so the diff shows exactly what differs. */
function pick(error: Error, expectation: ErrorExpectation): Record<string, unknown> {
  const source = error as Error & Record<string, unknown>;
  return Object.fromEntries(Object.keys(expectation).map((key) => [key, source[key]]));
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, kind, field } = error as Error & ErrorExpectation;
  const refusal = code === undefined ? '' : ` ${JSON.stringify({ code, kind, field })}`;
  return `${error.name}${refusal}: ${error.message}`;
}

function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}
