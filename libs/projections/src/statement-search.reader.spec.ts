import { positionStream, SCHEMA_VERSIONS } from '@positions/domain';
import { ReadModels } from './read-models';
import { statementSearchProjection } from './statement-search.projection';
import { toMatchQuery } from './statement-search.match';
import { type SearchAfter, type StatementSearch, TEXT_WINDOW, WINDOWS_PER_PAGE } from './statement-search.reader';
import { openViewsDatabase } from './views-database';

/*
 * Search with text ranks windows of matches and examines a bounded number of them per page:
 * a filter that keeps few of a common word's matches gets short pages that still lead, page
 * by page, to every statement it keeps.
 */
describe('statement search over more windows than a page examines', () => {
  const db = openViewsDatabase(':memory:');
  const apply = statementSearchProjection.open(db, '');
  const views = new ReadModels(db, { suffix: () => '', followSwitches: () => {}, versionOf: () => 0, knownThrough: () => null });
  let position = 0;
  const state = (actor: string, summary: string) => {
    position++;
    apply({
      eventId: `e${position}`, type: 'PositionStated', schemaVersion: SCHEMA_VERSIONS.PositionStated, streamId: positionStream(actor, 'topic'), streamPosition: 0, position,
      recordedAt: '2025-03-01T00:00:00.000Z', recordedBy: 'test', correlationId: 'c', causationId: null,
      data: { statementId: `s${position}`, stance: 'for', summary, statedOn: '2025-02-01', source: { title: 'T' } },
    });
  };

  beforeAll(() => {
    // The rare actor's two statements are the oldest: more windows of others' matches than a page examines lie before them.
    db.transaction(() => {
      state('rare', 'Common word, rare actor');
      state('rare', 'Common word, rare actor again');
      for (let i = 0; i < TEXT_WINDOW * (WINDOWS_PER_PAGE + 1); i++) state('busy', `Common word ${i}`);
    })();
  });
  afterAll(() => db.close());

  const search = (after?: SearchAfter): StatementSearch => ({ match: toMatchQuery('common'), actorId: 'rare', knownAtMs: Date.parse('2026-01-01'), seq: position, includeRetracted: false, limit: 51, ...(after && { after }) });

  it('ends a page short where its windows are spent, and the next page goes on from there', () => {
    const first = views.searchStatements(search());
    expect(first.hits).toEqual([]);
    expect(first.resume).toEqual({ window: expect.any(Number) });
    const second = views.searchStatements(search(first.resume ?? undefined));
    expect(second.hits.map((h) => h.statementId)).toEqual(['s1', 's2']);
    expect(second.resume).toBeNull();
  });

  it('ranks within the newest window and pages by key inside it', () => {
    // Same score, same day: by statement id, among the newest window's statements only.
    const newest = Array.from({ length: TEXT_WINDOW }, (_, i) => `s${position - i}`).sort();
    const first = views.searchStatements({ ...search(), actorId: undefined, limit: 3 });
    expect(first.hits.map((h) => h.statementId)).toEqual(newest.slice(0, 3));
    const { window, ...key } = first.hits[2];
    const next = views.searchStatements({ ...search({ window, key }), actorId: undefined, limit: 2 });
    expect(next.hits.map((h) => h.statementId)).toEqual(newest.slice(3, 5));
  });
});
