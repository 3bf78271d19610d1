import { parseStream, type TopicEvent, type TopicState, topicDecider } from '@positions/domain';
import { documentProjection } from './document-view';

/** Each topic with its codebook, as the domain's own fold of its stream. */
export const topicsProjection = documentProjection<TopicState>({
  name: 'topics',
  version: 1,
  handles: ['TopicOpened', 'StanceAdded'],
  keyOf: (event) => {
    const ref = parseStream(event.streamId);
    return ref?.kind === 'topic' ? ref.topicId : null;
  },
  evolve: (row, event) => topicDecider.evolve(row ?? topicDecider.initialState(), { type: event.type, data: event.data } as TopicEvent),
});
