import { parseStream, type TopicEvent, type TopicState, topicDecider } from '@positions/domain';
import { stateProjection } from './state.projection';

export const TOPICS_VIEW = 'topics';

export const topicsProjection = stateProjection<TopicState, TopicEvent>({
  name: TOPICS_VIEW,
  version: 1,
  table: 'topics_v1',
  handles: ['TopicOpened', 'StanceAdded'],
  idOf: (streamId) => {
    const ref = parseStream(streamId);
    return ref?.kind === 'topic' ? ref.topicId : null;
  },
  initialState: topicDecider.initialState,
  evolve: topicDecider.evolve,
});
