import type { EventStore } from '@positions/event-store';

/** Beyond this many events a lag is reported as this many: counting further would read the whole gap. */
export const LAG_COUNT_LIMIT = 10_000;

/**
 * How many events of the log come after `position` (the store's last being `last`). Positions
 * are not counts: KurrentDB's are byte offsets in its transaction log, so the difference of two
 * positions says nothing about events. Falls back to that difference when the log cannot be read.
 */
export async function eventsAfter(store: EventStore, position: number, last: number): Promise<number> {
  if (last <= position) return 0;
  try {
    return (await store.readAll({ after: position, limit: LAG_COUNT_LIMIT })).length;
  } catch {
    return last - position;
  }
}
