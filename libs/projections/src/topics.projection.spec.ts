import { ofTopic, projectionSpec, sanctionsReliefCodebook, sanctionsReliefOpened } from '@positions/testing';
import { topicsProjection } from './topics.projection';

const spec = projectionSpec(topicsProjection);
const TOPIC = 'russia-sanctions-relief';
const opened = {
  open: true,
  id: TOPIC,
  title: 'Relief of Western sanctions on Russia',
  proposition: 'Western sanctions on Russia should be lifted',
  stances: sanctionsReliefCodebook(),
};

describe('the topics view (given events, then rows)', () => {
  it('given a topic opened, then one row keyed by its id with its codebook', () =>
    spec.given([ofTopic(TOPIC, sanctionsReliefOpened())]).thenRows('topics', { [TOPIC]: opened }));

  it('given stances added, then they follow the codebook in order', () =>
    spec
      .given([
        ofTopic(TOPIC, sanctionsReliefOpened()),
        ofTopic(TOPIC, { type: 'StanceAdded', data: { code: 'ease-partially', label: 'Lift some sanctions', score: 1 } }),
        ofTopic(TOPIC, { type: 'StanceAdded', data: { code: 'undecided', label: 'No view yet', score: 0 } }),
      ])
      .thenRows('topics', {
        [TOPIC]: {
          ...opened,
          stances: [...sanctionsReliefCodebook(), { code: 'ease-partially', label: 'Lift some sanctions', score: 1 }, { code: 'undecided', label: 'No view yet', score: 0 }],
        },
      }));

  it('given two topics, then topics() lists them by id and topic(id) finds each', () =>
    projectionSpec()
      .given([
        ofTopic('russia-sanctions-relief', sanctionsReliefOpened()),
        ofTopic('arctic-drilling', sanctionsReliefOpened({ id: 'arctic-drilling', title: 'Arctic drilling', proposition: 'Drilling in the Arctic should be allowed' })),
      ])
      .thenAnswer((read) => {
        expect(read.topics().map((t) => t.id)).toEqual(['arctic-drilling', 'russia-sanctions-relief']);
        expect(read.topic(TOPIC)?.stances).toHaveLength(5);
        expect(read.topic('unknown-topic')).toBeNull();
      }));

  it('given a stance added to a topic never opened, then topic(id) is null and topics() leaves it out', () =>
    projectionSpec()
      .given([ofTopic('ghost', { type: 'StanceAdded', data: { code: 'x', label: 'X', score: 0 } })])
      .thenAnswer((read) => {
        expect(read.topic('ghost')).toBeNull();
        expect(read.topics()).toEqual([]);
      }));
});
