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

@QueryHandler(EventsQuery)
export class EventsHandler implements IQueryHandler<EventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ options }: EventsQuery): Promise<EventsPage> {
    const { after, limit, types, streamId } = options;
    // One more than asked tells whether another page follows, without a second query.
    const read = await this.store.readAll({ after, limit: limit + 1, types, streamId });
    const events = read.slice(0, limit);
    return { events, next: read.length > limit ? events[events.length - 1].position : null };
  }
}
