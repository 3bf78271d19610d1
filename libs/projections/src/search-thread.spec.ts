import { ofPosition, positionStated, recordingStore } from '@positions/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ALL_PROJECTIONS } from './index';
import type { ViewsDatabase } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { SearchAbandoned, type SearchRequest, SearchThread } from './search-thread';
import { toMatchQuery } from './statement-search.match';
import type { StatementSearch } from './statement-search.reader';
import { KNOWN_NOW } from './statements.reader';
import { openViewsDatabase } from './views-database';

const TOPIC = 'russia-sanctions-relief';
const SUMMARIES = ['sanctions stay until a ceasefire', 'grain corridor reopened', 'sanctions relief for grain', 'a corridor of grain and sanctions', 'no plans to lift'];
const stated = (n: number) =>
  ofPosition(`actor-${n % 7}`, TOPIC, positionStated({ statementId: `s-${n}`, stance: 'not-yet', statedOn: '2025-02-26', summary: `${SUMMARIES[n % SUMMARIES.length]} (${n})` }));

/** A search as the query handler asks it: every statement known now. */
const search = (q: string, more: Partial<StatementSearch> = {}): StatementSearch => ({ match: toMatchQuery(q), knownAtMs: KNOWN_NOW, seq: KNOWN_NOW, includeRetracted: false, limit: 50, ...more });

/*
 * A search that reads a long list of FTS5 matches (a one-letter prefix, a phrase of common
 * words) took 100–350 ms at 1,000,000 statements, all of it on the event loop: every other
 * request waited. The service's searches run on a thread of their own, on its own connection.
 */
describe('statement searches on the search thread', () => {
  let dir: string;
  let db: ViewsDatabase;
  let runner: ProjectionRunner;
  let thread: SearchThread;
  let read: ReadModels;
  let store: ReturnType<typeof recordingStore>['store'];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'search-thread-'));
    const recording = recordingStore();
    store = recording.store;
    const { append } = recording;
    await append(Array.from({ length: 60 }, (_, n) => stated(n)));
    db = openViewsDatabase(join(dir, 'views.db'));
    runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, { log: () => undefined, error: () => undefined });
    await runner.start(0);
    thread = new SearchThread(join(dir, 'views.db'));
    read = new ReadModels(db, runner, thread);
  });

  afterEach(async () => {
    await read.close();
    runner.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const searches = [search('g*'), search('"grain corridor"'), search('sanctions', { actorId: 'actor-3' }), search('grain', { limit: 4 }), search('zebra')];

  /*
   * Whether the loop turns while the thread searches depends on how fast the thread answers: on a
   * busy machine a small search's reply can be taken before a pending setImmediate runs (CI saw 0
   * turns). What is certain, and what this asserts, is where the search runs: every search is
   * asked of the thread, and the event loop's connection prepares no MATCH.
   */
  it('given statements, when searched, then each page is the one the event loop reads, answered by the thread while the event loop reads no match', async () => {
    const prepare = jest.spyOn(db, 'prepare');
    const asks = jest.spyOn(thread, 'ask');
    const aside = [];
    for (const asked of searches) aside.push(await read.searchStatementsAside(asked));
    const matchesRead = prepare.mock.calls.filter(([sql]) => /MATCH/.test(sql));
    prepare.mockRestore();
    expect(matchesRead).toEqual([]);
    expect(asks.mock.calls.map(([asked]) => asked)).toEqual(searches);

    const onLoop = searches.map((asked) => read.searchStatements(asked));
    expect(aside).toEqual(onLoop);
    expect(onLoop.map((page) => page.hits.length)).toEqual([36, 12, 9, 4, 0]);
  });

  it('given a page that leaves off, when the next one is asked from where it left, then the thread answers it as the event loop does', async () => {
    const first = await read.searchStatementsAside(search('sanctions', { limit: 5 }));
    const last = first.hits[first.hits.length - 1];
    const after = { window: last.window, key: { score: last.score, earliestMs: last.earliestMs, statementId: last.statementId } };
    const next = search('sanctions', { limit: 5, after });
    expect(await read.searchStatementsAside(next)).toEqual(read.searchStatements(next));
    expect(first.hits.map((h) => h.statementId)).not.toContain((await read.searchStatementsAside(next)).hits[0].statementId);
  });

  /*
   * Searches wait on this side and the thread is sent one at a time: a search whose asker gave up
   * (an HTTP client that went away) before the thread took it up is never run, and the searches
   * behind it do not wait for it.
   */
  it('given a search under way, when one waiting behind it is given up, then that one is never sent to the thread, and the next is answered', async () => {
    const posted = jest.spyOn(Worker.prototype, 'postMessage');
    const gaveUp = new AbortController();
    const first = read.searchStatementsAside(search('g*'));
    const abandoned = read.searchStatementsAside(search('corridor'), gaveUp.signal);
    const next = read.searchStatementsAside(search('sanctions'));
    expect(thread.waiting).toBe(3);
    gaveUp.abort();
    expect(thread.waiting).toBe(2);
    await expect(abandoned).rejects.toBeInstanceOf(SearchAbandoned);
    expect(await first).toEqual(read.searchStatements(search('g*')));
    expect(await next).toEqual(read.searchStatements(search('sanctions')));
    const sent = posted.mock.calls.map(([message]) => (message as SearchRequest).search.match);
    posted.mockRestore();
    expect(sent).toEqual([search('g*').match, search('sanctions').match]);
    expect(thread.waiting).toBe(0);
  });

  it('given a search given up before it is asked, or once the thread answers it, then the first is never run and the second answers its page', async () => {
    const gone = new AbortController();
    gone.abort();
    await expect(read.searchStatementsAside(search('grain'), gone.signal)).rejects.toBeInstanceOf(SearchAbandoned);
    const late = new AbortController();
    const under = read.searchStatementsAside(search('grain'), late.signal);
    late.abort();
    // Already on the thread: it runs to its end, and the page is there for whoever still waits.
    expect(await under).toEqual(read.searchStatements(search('grain')));
  });

  it('given a thread that stops under a search whose asker gave up meanwhile, then the search is not read on the event loop either', async () => {
    const broken = new SearchThread(join(dir, 'missing', 'views.db'));
    const onLoop = new ReadModels(db, runner, broken);
    const prepare = jest.spyOn(db, 'prepare');
    const gone = new AbortController();
    // Already sent to the thread (which fails to open the file), then given up.
    const asked = onLoop.searchStatementsAside(search('grain'), gone.signal);
    gone.abort();
    await expect(asked).rejects.toBeInstanceOf(SearchAbandoned);
    const matchesRead = prepare.mock.calls.filter(([sql]) => /MATCH/.test(sql));
    prepare.mockRestore();
    expect(matchesRead).toEqual([]);
    await onLoop.close();
  });

  it('given another process rebuilt the search view and dropped the generation this one reads, then the thread follows it to the new one', async () => {
    const other = openViewsDatabase(join(dir, 'views.db'));
    const cli = new ProjectionRunner(store, other, ALL_PROJECTIONS, { log: () => undefined, error: () => undefined });
    const before = read.searchStatements(search('grain'));
    try {
      await cli.start(0);
      await (await cli.rebuild('statement-search')).finished;
    } finally {
      cli.stop();
      other.close();
    }
    expect(await read.searchStatementsAside(search('grain'))).toEqual(before);
  });

  it('given the thread stops before it answers, then the page is read on the event loop, and the next search starts a thread again', async () => {
    const asked = search('grain');
    const answered = read.searchStatementsAside(asked);
    await thread.close();
    expect(await answered).toEqual(read.searchStatements(asked));
    await expect(thread.ask(asked, runner.suffix('statement-search'))).resolves.toMatchObject({ page: read.searchStatements(asked) });
  });

  it('given a thread that cannot open the views file, then every search is read on the event loop, the failure is told once and no thread is started again', async () => {
    const errors: string[] = [];
    const broken = new SearchThread(join(dir, 'missing', 'views.db'), (error) => errors.push(error.message));
    const onLoop = new ReadModels(db, runner, broken);
    const asked = search('grain');
    expect(await onLoop.searchStatementsAside(asked)).toEqual(read.searchStatements(asked));
    expect(await onLoop.searchStatementsAside(asked)).toEqual(read.searchStatements(asked));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/the search thread stopped: .*searches run on the event loop until the service restarts/);
    await onLoop.close();
  });
});
