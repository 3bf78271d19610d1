import { renderLandscape, renderPosition, renderTimeline, statedText } from './answer-tables';

const concessions = { code: 'concessions-needed', label: 'Relief within a settlement', score: 1 };
const notYet = { code: 'not-yet', label: 'Nothing lifted for now', score: 0 };
const rubio = {
  statementId: 'rubio-1',
  statedOn: '2025-02-17/2025-02-23',
  statedOnWording: 'last week',
  earliest: '2025-02-17T00:00:00.000Z',
  latest: '2025-02-23T00:00:00.000Z',
  summary: 'Concessions from all sides',
  quote: null,
  source: { title: 'Article' },
  onBehalfOf: 'us-government',
  recordedAt: '2025-02-26T10:00:00.000Z',
};
const time = { at: '2025-02-19', knownAt: '2025-03-01T00:00:00.000Z' };

describe('the CLI’s tables: dates as the sources give them', () => {
  it('shows a range of days and the wording beside statedOn, the range only where it says more', () => {
    expect(statedText(rubio)).toBe('2025-02-17/2025-02-23 “last week”');
    expect(statedText({ statedOn: '2025-02', earliest: '2025-02-01T00:00:00.000Z', latest: '2025-02-28T00:00:00.000Z' })).toBe('2025-02 (2025-02-01 … 2025-02-28)');
    // Clipped at its recording: the last day it may have been said on is the moment it was recorded.
    expect(statedText({ ...rubio, latest: '2025-02-21T09:15:00.000Z' })).toBe('2025-02-17/2025-02-23 “last week” (2025-02-17 … 2025-02-21T09:15:00.000Z)');
    expect(statedText({ statedOn: '2025-02-26', statedOnWording: null, earliest: '2025-02-26T00:00:00.000Z', latest: '2025-02-26T00:00:00.000Z' })).toBe('2025-02-26');
  });

  it('says a position is uncertain, with the other answers the sources leave open and the statements behind them', () => {
    const text = renderPosition({
      actorId: 'us-government',
      topicId: 'sanctions',
      ...time,
      stance: notYet,
      since: '2025-02-18',
      statement: { ...rubio, statementId: 'trump-1', statedOn: '2025-02-18', statedOnWording: null, earliest: '2025-02-18T00:00:00.000Z', latest: '2025-02-18T00:00:00.000Z' },
      certainty: 'uncertain',
      alternatives: [{ stance: concessions, statementId: 'rubio-1' }],
    });
    expect(text).toContain('certainty  uncertain: possibly concessions-needed (+1)');
    expect(text).toContain('possibly   concessions-needed (+1), statement rubio-1');
    expect(text).toContain('statement  trump-1, stated 2025-02-18 on behalf of us-government');
  });

  it('says when no position is known for certain but one may have been stated', () => {
    const text = renderPosition({ actorId: 'marco-rubio', topicId: 'sanctions', ...time, stance: null, since: null, statement: null, certainty: 'uncertain', alternatives: [{ stance: concessions, statementId: 'rubio-1' }] });
    expect(text).toContain('no known position');
    expect(text).toContain('certainty  uncertain: possibly concessions-needed (+1)');
    expect(renderPosition({ actorId: 'marco-rubio', topicId: 'sanctions', ...time, stance: null, since: null, statement: null, certainty: 'certain', alternatives: [] })).not.toContain('certainty');
  });

  it('shows the statement’s range and wording in a position, and certainty in each row of a landscape', () => {
    expect(renderPosition({ actorId: 'marco-rubio', topicId: 'sanctions', ...time, at: '2025-02-26', stance: concessions, since: rubio.statedOn, statement: rubio, certainty: 'certain', alternatives: [] })).toContain(
      'stated 2025-02-17/2025-02-23 “last week” on behalf of us-government',
    );
    const landscape = renderLandscape({
      topicId: 'sanctions',
      ...time,
      positions: [
        { actorId: 'donald-trump', stance: notYet, since: '2025-02-18', statementId: 'trump-1', certainty: 'uncertain', alternatives: [{ stance: null, statementId: null }, { stance: concessions, statementId: 'rubio-1' }] },
        { actorId: 'eu', stance: notYet, since: '2025-02-10', statementId: 'eu-1', certainty: 'certain', alternatives: [] },
      ],
    });
    expect(landscape).toMatch(/actor\s+stance\s+certainty\s+since\s+statement/);
    expect(landscape).toMatch(/donald-trump\s+not-yet \(0\)\s+uncertain: possibly no position, or concessions-needed \(\+1\)\s+2025-02-18\s+trump-1/);
    expect(landscape).toMatch(/eu\s+not-yet \(0\)\s+certain\s+2025-02-10/);
  });

  it('shows each timeline entry’s range', () => {
    const text = renderTimeline({
      actorId: 'ana',
      topicId: 'tax',
      knownAt: time.knownAt,
      entries: [{ statementId: 's', statedOn: '2025', earliest: '2025-01-01T00:00:00.000Z', latest: '2025-02-26T10:00:00.000Z', stance: notYet, summary: 'S', shift: 'first', direction: null }],
    });
    expect(text).toContain('2025 (2025-01-01 … 2025-02-26T10:00:00.000Z)  not-yet (0)');
  });
});
