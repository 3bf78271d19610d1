import type { PositionEvent } from '@positions/domain';
import { ofPosition, positionStated, projectionSpec } from '@positions/testing';
import type { ReadModels } from './read-models';
import { statementSearch, statementSearchProjection } from './statement-search.projection';
import { toMatchQuery } from './statement-search.match';
import { KNOWN_NOW } from './statements.reader';

const TOPIC = 'russia-sanctions-relief';
const stated = (statementId: string, fields: Record<string, unknown>): PositionEvent => positionStated({ statementId, stance: 'not-yet', statedOn: '2025-02-20', ...fields });
const corrected = (statementId: string, changes: Record<string, unknown>): PositionEvent => ({ type: 'StatementCorrected', data: { statementId, changes, reason: 'misread' } });
const hits = (read: ReadModels, words: string, knownAtMs = Date.parse('2030-01-01')) =>
  read.searchStatements({ match: toMatchQuery(words), knownAtMs, seq: KNOWN_NOW, includeRetracted: false, limit: 50 }).hits.map((h) => [h.statementId, h.score]);

/*
 * projectionSpec answers from views built in bulk from the log, then again after each view was
 * rebuilt event by event; built in bulk with words written every version (in batches of 7 events)
 * as well as all at the end.
 */
describe.each([
  ['at the end of a build in bulk', statementSearchProjection],
  ['every version of a build in bulk', statementSearch(1)],
])('the search view, words written %s (given statements with quotes and sources, then their words are found in each field)', (_, search) => {
  it('given words in the summary, the quote, the source title and publisher, then each is found, ranked by where it is', () =>
    projectionSpec(search)
      .given([
        ofPosition('a', TOPIC, stated('s1', { summary: 'pipeline tariffs', quote: 'we oppose tariffs', source: { title: 'Gazette', publisher: 'Herald Press' } })),
        ofPosition('b', TOPIC, stated('s2', { summary: 'grain corridor', quote: 'tariffs hurt farmers', source: { title: 'Tariffs weekly' } })),
        ofPosition('c', TOPIC, stated('s3', { summary: 'tariffs only', source: { title: 'Bulletin', publisher: 'Herald Press' } })),
        ofPosition('d', TOPIC, stated('s4', { summary: 'nothing here', source: { title: 'Tariffs daily' } })),
      ])
      .thenAnswer((read) => {
        expect(hits(read, 'tariffs')).toEqual([['s1', 3], ['s3', 2], ['s2', 1], ['s4', 0]]);
        expect(hits(read, 'herald')).toEqual([['s1', 0], ['s3', 0]]);
        expect(hits(read, 'farmers')).toEqual([['s2', 1]]);
      }));

  it('given a correction of the quote, then the old words are found as known before it and the new ones after', () =>
    projectionSpec(search)
      .given([
        ofPosition('a', TOPIC, stated('s1', { summary: 'pipeline', quote: 'old wording', source: { title: 'T' } }), '2025-03-01T10:00:00.000Z'),
        ofPosition('a', TOPIC, corrected('s1', { quote: 'new phrasing' }), '2025-03-02T10:00:00.000Z'),
        ofPosition('b', TOPIC, stated('s2', { summary: 'grain', quote: 'wording', source: { title: 'T' } }), '2025-03-03T10:00:00.000Z'),
        ofPosition('b', TOPIC, corrected('s2', { quote: null }), '2025-03-04T10:00:00.000Z'),
      ])
      .thenAnswer((read) => {
        expect(hits(read, 'wording', Date.parse('2025-03-01T12:00:00Z'))).toEqual([['s1', 1]]);
        expect(hits(read, 'wording')).toEqual([]);
        expect(hits(read, 'phrasing')).toEqual([['s1', 1]]);
        expect(hits(read, 'wording', Date.parse('2025-03-03T12:00:00Z'))).toEqual([['s2', 1]]);
      }));
});
