import { findDateWordings } from './date-wording';

/** Published on Wednesday 2025-02-26. */
const resolved = (text: string) => findDateWordings(text, '2025-02-26').map(({ statedOn, wording }) => [wording, statedOn]);

describe('dates from the article’s wording, against the day it was published', () => {
  it.each([
    ['he said last week that', 'last week', '2025-02-17/2025-02-23'],
    ['Earlier this week, the EU adopted', 'Earlier this week', '2025-02-24/2025-02-25'],
    ['said on Tuesday that', 'on Tuesday', '2025-02-25'],
    ['said on Friday that', 'on Friday', '2025-02-21'],
    ['said in January that', 'in January', '2025-01'],
    ['said in March that', 'in March', '2024-03'],
    ['said yesterday', 'yesterday', '2025-02-25'],
    ['told MPs on Feb. 3', 'on Feb. 3', '2025-02-03'],
    ['said last month', 'last month', '2025-01'],
    ['said over the weekend', 'over the weekend', '2025-02-22/2025-02-23'],
    ['said last year', 'last year', '2024'],
  ])('"%s" gives %s as %s', (text, wording, statedOn) => {
    expect(resolved(text)).toEqual([[wording, statedOn]]);
  });

  it('finds nothing where the words say nothing of when ("now", no date at all)', () => {
    expect(resolved('easing sanctions now would reward aggression')).toEqual([]);
    expect(resolved('Trump said at a press briefing')).toEqual([]);
  });

  it('gives the offsets of the wording in the text it was given, shifted by the offset', () => {
    expect(findDateWordings('said last week', '2025-02-26', 100)[0].span).toEqual([105, 114]);
  });
});
