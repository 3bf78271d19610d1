import { parseStream, toDomainEvent, type TopicEvent, type TopicState, topicDecider } from '@positions/domain';
import { documentProjection } from './document-view';
import type { ViewReader } from './view-reader';

export type TopicView = Extract<TopicState, { open: true }>;

/** Each topic with its codebook, as the domain's own fold of its stream. */
export const topicsProjection = documentProjection<TopicState>({
  name: 'topics',
  version: 1,
  handles: ['TopicOpened', 'StanceAdded'],
  keyOf: (event) => {
    const ref = parseStream(event.streamId);
    return ref?.kind === 'topic' ? ref.topicId : null;
  },
  evolve: (row, event) => topicDecider.evolve(row ?? topicDecider.initialState(), toDomainEvent<TopicEvent>(event)),
});

export function topicView(read: ViewReader, id: string): TopicView | null {
  const topic = read.document<TopicState>(topicsProjection.name, id);
  return topic?.open ? topic : null;
}

export function topicViews(read: ViewReader): TopicView[] {
  return read.documents<TopicState>(topicsProjection.name).filter((t): t is TopicView => t.open);
}
