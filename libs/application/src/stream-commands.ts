import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Decider, DomainError, type DomainEvent, evolveAll, fold, type Folder, SCHEMA_VERSIONS, toDomainEvent } from '@positions/domain';
import { type AppendResult, type EventStore, IdempotencyKeyTaken, type IdempotentAppend, type NewEvent, WrongExpectedPositionError } from '@positions/event-store';
import { ProjectionRunner } from '@positions/projections';
import type { CommandContext } from './command-context';
import { IdempotencyKeyReused, PreconditionFailed } from './command-errors';
import { estimatedBytes, StateCache } from './support/state-cache';
import { EVENT_STORE } from './tokens';

export interface HandleOptions {
  context: CommandContext;
  /** The client's `If-Match`: the stream position it last saw (-1: no events yet). */
  expected?: number;
}

const MAX_ATTEMPTS = 10;
/** What the folded states kept in memory may hold, estimated: 64 MiB. */
export const STATE_CACHE_BYTES = 64 * 1024 * 1024;

/** A short random wait before retrying a lost race, so racing processes spread out. */
const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 6)));

/** Runs tasks with the same key one after another, tasks with different keys side by side. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * Loads a stream, folds it, decides and appends with the expected stream position: the
 * glue between a pure decider and the store. A race with another writer is retried on the
 * fresh stream, unless the client pinned the position with `If-Match`. Answers only once
 * the read models have taken the new events in (read-your-writes).
 *
 * With an idempotency key, a repeat of a command that succeeded returns what that command
 * appended, and appends nothing: handlers build their answer from the `AppendResult`, so the
 * repeat answers exactly as the first time, also after a restart.
 */
@Injectable()
export class StreamCommands {
  private readonly logger = new Logger(StreamCommands.name);
  private readonly locks = new KeyedLock();
  private readonly states = new StateCache(STATE_CACHE_BYTES);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async handle<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C | ((state: S) => C | Promise<C>),
    options: HandleOptions,
  ): Promise<AppendResult> {
    // One command per stream at a time in this process: races are left to other processes.
    return this.locks.run(streamId, async () => {
      for (let attempt = 1; ; attempt++) {
        const replayed = await this.replay(options.context);
        if (replayed) return replayed;
        try {
          return await this.attempt(streamId, decider, command, options);
        } catch (error) {
          // A parallel request with the same key may have won meanwhile: answer as it did.
          if (options.context.idempotency && (error instanceof DomainError || error instanceof IdempotencyKeyTaken)) {
            const won = await this.replay(options.context);
            if (won) return won;
          }
          if (!(error instanceof WrongExpectedPositionError)) throw error;
          if (options.expected !== undefined) throw new PreconditionFailed(streamId, options.expected, error.actual);
          if (attempt >= MAX_ATTEMPTS) throw error;
          await backOff(attempt);
        }
      }
    });
  }

  private async attempt<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C | ((state: S) => C | Promise<C>),
    { context, expected }: HandleOptions,
  ): Promise<AppendResult> {
    const { state, position: actual } = await this.folded(streamId, decider);
    if (expected !== undefined && expected !== actual) throw new PreconditionFailed(streamId, expected, actual);
    const decided = decider.decide(typeof command === 'function' ? await (command as (s: S) => C | Promise<C>)(state) : command, state);
    const { recordedBy, correlationId, causationId, idempotency } = context;
    const metadata = { recordedBy, correlationId, causationId, ...(idempotency && { idempotency }) };
    const result = await this.store.append(streamId, decided.map((event) => toNewEvent(event)), actual, metadata);
    await this.caughtUp(result.position);
    return result;
  }

  /** A stream folded, for the facts another stream's decision needs. */
  async load<E extends DomainEvent, S>(streamId: string, decider: Folder<E, S>): Promise<S> {
    return (await this.folded(streamId, decider)).state;
  }

  /**
   * A stream folded up to its last event, from the cache of folded states when it has the
   * stream: then only the events appended since are read and folded, not the whole history.
   * Deciders' states are immutable values, so a cached one is never changed under a reader.
   */
  private async folded<E extends DomainEvent, S>(streamId: string, decider: Folder<E, S>) {
    const cached = this.states.get(streamId);
    const base = cached && cached.decider === decider ? cached : { decider, state: decider.initialState(), position: -1, bytes: 0 };
    const events = await this.store.readStream(streamId, base.position + 1);
    const state = evolveAll(decider, base.state as S, events.map((e) => toDomainEvent<E>(e)));
    const bytes = events.reduce((sum, e) => sum + estimatedBytes(e.data), base.bytes);
    const folded = { decider, state, position: base.position + events.length, bytes };
    this.states.set(streamId, folded);
    return folded;
  }

  /** Folds a stream up to and including `streamPosition`: the state a command's answer shows. */
  async stateAt<E extends DomainEvent, S>(streamId: string, decider: Folder<E, S>, streamPosition: number): Promise<S> {
    const events = (await this.store.readStream(streamId)).slice(0, streamPosition + 1);
    return fold(decider, events.map((e) => toDomainEvent<E>(e)));
  }

  private async replay({ idempotency }: CommandContext): Promise<AppendResult | null> {
    if (!idempotency) return null;
    const earlier = await this.store.findIdempotent(idempotency.key);
    if (!earlier) return null;
    if (earlier.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused();
    return toAppendResult(earlier);
  }

  private async caughtUp(position: number): Promise<void> {
    try {
      await this.projections.waitFor(position);
    } catch (error) {
      // The events are durably written: the answer stays a success; the views catch up later.
      this.logger.warn(`views did not catch up with position ${position}: ${String(error)}`);
    }
  }
}

function toAppendResult({ events }: IdempotentAppend): AppendResult {
  const last = events[events.length - 1];
  return { streamPosition: last.streamPosition, position: last.position, recordedAt: last.recordedAt, events };
}

/** A domain event as the store takes it: its type, the schema version it is written in, its data (and an id, when the writer picks one). */
export function toNewEvent(event: DomainEvent, eventId?: string): NewEvent {
  return { ...(eventId !== undefined && { eventId }), type: event.type, schemaVersion: SCHEMA_VERSIONS[event.type], data: event.data };
}
