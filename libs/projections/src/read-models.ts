import { type ActorView, actorsProjection, actorView, actorViews, actorViewsAfter } from './actors.projection';
import { type Membership, membersOf } from './members.projection';
import type { ViewsDatabase } from './projection';
import { type StanceCountRuns, stanceCountRuns } from './stance-counts.projection';
import {
  type ActorRange,
  type IndexedPosition,
  type IndexedStatement,
  KNOWN_NOW,
  type LandscapeEntry,
  type ScoreOf,
  type StatementAsKnown,
  StatementIndex,
} from './statements.reader';
import { SearchAbandoned, type SearchThread } from './search-thread';
import { type SearchPage, searchPosition, searchStatements, type StatementSearch } from './statement-search.reader';
import { STATEMENT_SEARCH_VIEW } from './statement-search.tables';
import { topicSpeakers } from './topic-feed.reader';
import { topicActorsEnd, topicSpeakerCounts } from './topic-speakers.projection';
import { topicsProjection, topicView, topicViews, type TopicView } from './topics.projection';
import { type ServingViews, ViewReader } from './view-reader';

/**
 * Every question the read models answer, in one injectable place. Each answer is written in
 * its view's file, beside the view's tables and evolve; this only forwards to it.
 */
export class ReadModels {
  private readonly read: ViewReader;
  private readonly index: StatementIndex;

  constructor(
    db: ViewsDatabase,
    private readonly views: ServingViews,
    /** Where statement searches run off the event loop (the service's); none: on it. */
    private readonly searchThread?: SearchThread,
  ) {
    this.read = new ViewReader(db, views);
    this.index = new StatementIndex(this.read);
  }

  /** Goes up whenever an actor changed: anything derived from the actors before is stale (a statement changes none). */
  get actorChanges(): number {
    return this.views.versionOf(actorsProjection.name);
  }

  /** Goes up whenever a topic changed: anything derived from the topics before is stale. */
  get topicChanges(): number {
    return this.views.versionOf(topicsProjection.name);
  }

  /**
   * What an omitted `knownAt` means: the record time (epoch ms) the views have taken in every
   * event of, so the answer can be asked again with it; null before any event.
   */
  knownThrough(): number | null {
    return this.views.knownThrough();
  }

  actor(id: string): ActorView | null {
    return actorView(this.read, id);
  }

  actors(): ActorView[] {
    return actorViews(this.read);
  }

  /** The listing a piece at a time: at most `limit` actors after `after` (by id), and where the next piece starts (null at the end). */
  actorsAfter(after: string, limit: number): { actors: ActorView[]; next: string | null } {
    return actorViewsAfter(this.read, after, limit);
  }

  topic(id: string): TopicView | null {
    return topicView(this.read, id);
  }

  topics(): TopicView[] {
    return topicViews(this.read);
  }

  /** Everyone affiliated with the organization at any time, as the record stood at `knownAtMs`. */
  members(organizationId: string, knownAtMs = KNOWN_NOW): Membership[] {
    return membersOf(this.read, organizationId, knownAtMs);
  }

  /**
   * Actors per stance at the end of each day from `firstDay` to `lastDay` (days since the epoch,
   * UTC), as runs of days with the same counts: every one of `codes`, zeros included, then other
   * stances held (`stance-counts.projection.ts`).
   */
  stanceCountRuns(topicId: string, firstDay: number, lastDay: number, codes: readonly string[] = []): StanceCountRuns {
    return stanceCountRuns(this.read, topicId, firstDay, lastDay, codes);
  }

  positionAt(actorId: string, topicId: string, atMs: number, knownAtMs = KNOWN_NOW, scoreOf?: ScoreOf): IndexedPosition | null {
    return this.index.positionAt(actorId, topicId, atMs, knownAtMs, scoreOf);
  }

  landscapeEntries(topicId: string, atMs: number, knownAtMs = KNOWN_NOW, scoreOf?: ScoreOf, actors?: ActorRange): LandscapeEntry[] {
    return this.index.landscapeEntries(topicId, atMs, knownAtMs, scoreOf, actors);
  }

  timeline(actorId: string, topicId: string, knownAtMs = KNOWN_NOW): IndexedStatement[] {
    return this.index.timeline(actorId, topicId, knownAtMs);
  }

  statement(statementId: string, knownAtMs = KNOWN_NOW): StatementAsKnown | null {
    return this.index.statement(statementId, knownAtMs);
  }

  statementLocation(statementId: string): { actorId: string; topicId: string } | null {
    return this.index.statementLocation(statementId);
  }

  /** One page of a statement search (`statement-search.reader.ts`), on the event loop. */
  searchStatements(search: StatementSearch): SearchPage {
    return searchStatements(this.read, search);
  }

  /**
   * The same page, on the search thread when there is one (see `SearchThread`). A generation
   * gone under it is followed and asked once more; if the thread stopped before it answered,
   * the page is read here. A search whose `signal` aborts before the thread takes it up is never
   * run: `SearchAbandoned`.
   */
  async searchStatementsAside(search: StatementSearch, signal?: AbortSignal): Promise<SearchPage> {
    if (!this.searchThread) return this.searchStatements(search);
    for (let asked = 0; asked < 2; asked++) {
      const reply = await this.searchThread.ask(search, this.read.suffix(STATEMENT_SEARCH_VIEW), signal);
      if ('page' in reply) return reply.page;
      if ('abandoned' in reply) throw new SearchAbandoned();
      if ('failed' in reply) throw new Error(reply.failed);
      if ('stopped' in reply) break;
      this.views.followSwitches();
    }
    // The thread stopped: the page is read here, unless its asker has gone meanwhile.
    if (signal?.aborted) throw new SearchAbandoned();
    return this.searchStatements(search);
  }

  /** Ends the search thread, if any. */
  async close(): Promise<void> {
    await this.searchThread?.close();
  }

  /** The log position the search view is at: later pages of a search are pinned to it. */
  searchPosition(): number {
    return searchPosition(this.read);
  }

  /** The actors with a statement on the topic recorded by `knownAtMs`, by id, after `afterActorId`. */
  topicSpeakers(topicId: string, knownAtMs: number, afterActorId = '', limit = 1000, throughActorId?: string): string[] {
    return topicSpeakers(this.read, topicId, knownAtMs, afterActorId, limit, throughActorId);
  }

  /** Where a piece of the topic's next `n` actors (any that ever had a statement on it) after `afterActorId` ends; null: fewer follow. */
  topicActorsEnd(topicId: string, afterActorId: string, n: number): string | null {
    return topicActorsEnd(this.read, topicId, afterActorId, n);
  }

  /** How many actors have a statement on each topic (retracted ones count), by topic id. */
  topicSpeakerCounts(): Map<string, number> {
    return topicSpeakerCounts(this.read);
  }
}
