/** A domain event: a permanent type string and plain-JSON data (dates as ISO strings). */
export type Event<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** An event as the log gave it back: what a fold over record time needs. */
export type Recorded<E> = E & {
  /** Global position in the log. */
  readonly position: number;
  /** When the service stored it (ISO-8601 UTC with milliseconds). */
  readonly recordedAt: string;
};

/** Ends a `switch` over a union: the compiler flags a missing case. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
