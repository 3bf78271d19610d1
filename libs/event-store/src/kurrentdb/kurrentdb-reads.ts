/**
 * Reads through the client with a bounded wait. The client's native reader takes no
 * deadline, and an unreachable cluster (a black-holed address, a partition) could leave a
 * read pending for minutes: the adapter bounds the wait for each batch instead, so a
 * command answers 503 promptly and a long replay is never cut off while it makes progress.
 */
import type { ResolvedEvent } from '@kurrent/kurrentdb-client';
import { BACKWARDS, END, FORWARDS, START } from '@kurrent/kurrentdb-client';
import { KurrentClient } from './kurrentdb-client';
import { ReadTimeoutError, classifyKurrentError } from './kurrentdb-errors';

/** Yields what `source` yields, failing with ReadTimeoutError when one item takes longer than `timeoutMs`. */
export async function* withIdleTimeout<T>(source: AsyncIterable<T>, timeoutMs: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await within(iterator.next(), timeoutMs);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stops the underlying read when the consumer breaks early or the wait timed out. Not
    // awaited: after a timeout the pending read may never settle.
    if (!finished) iterator.return?.()?.catch(() => undefined);
  }
}

/** `promise`, or a ReadTimeoutError after `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ReadTimeoutError(timeoutMs)), timeoutMs);
    timer.unref();
  });
  promise.catch(() => undefined); // a late rejection after the timeout must not go unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface StreamSlice {
  /** First revision to read (default: the start). */
  fromRevision?: bigint;
  /** At most this many events (default: all). */
  maxCount?: number;
  /** Newest first. */
  backwards?: boolean;
}

/**
 * The events of a stream, `[]` when it does not exist. Reads from the leader: after an
 * append or a claim the adapter must see its own write, which a lagging follower may not.
 */
export async function readStreamEvents(
  client: KurrentClient,
  streamName: string,
  slice: StreamSlice,
  timeoutMs: number,
): Promise<ResolvedEvent[]> {
  const source = client.readStream(streamName, {
    direction: slice.backwards ? BACKWARDS : FORWARDS,
    fromRevision: slice.fromRevision ?? (slice.backwards ? END : START),
    ...(slice.maxCount === undefined ? {} : { maxCount: slice.maxCount }),
    requiresLeader: true,
  });
  const events: ResolvedEvent[] = [];
  try {
    for await (const resolved of withIdleTimeout(source, timeoutMs)) events.push(resolved);
  } catch (error) {
    if (classifyKurrentError(error).kind === 'stream-not-found') return [];
    throw error;
  }
  return events;
}
