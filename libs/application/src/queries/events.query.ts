import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { EventStore, StoredEvent } from '@positions/event-store';
import { EVENT_STORE } from '../tokens';

export interface EventsPage {
  events: StoredEvent[];
  /** The `after` of the next page; null at the end of the log. */
  next: number | null;
}

/** The log in global order, paged and filtered: the feed to replay history into a view of one's own. */
export class EventsQuery extends Query<EventsPage> {
  constructor(readonly options: { after: number; limit: number; types?: string[]; streamId?: string }) {
    super();
  }
}

/**
 * Each page stops before its events pass this many bytes of JSON (always at least one event):
 * a thousand statements of maximum size would otherwise make one 25 MB answer.
 */
export const MAX_EVENTS_PAGE_BYTES = 1024 * 1024;
/** Events read from the store at a time, so a page's memory follows its byte bound. */
const BATCH = 100;

@QueryHandler(EventsQuery)
export class EventsHandler implements IQueryHandler<EventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ options }: EventsQuery): Promise<EventsPage> {
    const { limit, types, streamId } = options;
    const events: StoredEvent[] = [];
    let bytes = 2; // the brackets of the array
    for (let after = options.after; ; after = events[events.length - 1].position) {
      // One more than needed tells whether another page follows, without a second query.
      const want = Math.min(BATCH, limit - events.length);
      const read = await this.store.readAll({ after, limit: want + 1, types, streamId });
      for (const event of read) {
        const size = Buffer.byteLength(JSON.stringify(event)) + 1; // and its comma
        if (events.length === limit || (events.length > 0 && bytes + size > MAX_EVENTS_PAGE_BYTES)) {
          return { events, next: events[events.length - 1].position };
        }
        events.push(event);
        bytes += size;
      }
      if (read.length <= want) return { events, next: null };
    }
  }
}
