import { type Alternative, answerAt, type Certainty, type DatedStatement, type StatementFields } from '@positions/domain';
import { STATEMENTS_VIEW, statementVersionsTable } from './statements.projection';
import type Database from 'better-sqlite3';
import type { ViewReader } from './view-reader';

/** One version of a statement as the index holds it. */
export interface IndexedStatement {
  statementId: string;
  actorId: string;
  topicId: string;
  fields: StatementFields;
  /** Global position of its `PositionStated`: the tie-breaker between equal `statedOn`. */
  statedPosition: number;
  recordedAt: string;
  /** When this version became the record: `recordedAt`, or the correction's time. */
  knownFrom: string;
  /** The range of its `statedOn` (epoch ms), clipped at the recording of that `statedOn`. */
  earliest: number;
  latest: number;
}

/** How sure an answer is (docs/domain.md, "Dates as the sources give them"). */
export interface Openness {
  certainty: Certainty;
  /** The other answers statements possibly made by then leave open. */
  alternatives: Alternative[];
}

export interface IndexedPosition extends Openness {
  /** The latest statement certainly made by then; null when none is, yet some may have been. */
  statement: IndexedStatement | null;
  /** `statedOn` of the first statement of the unbroken run with the winner's stance. */
  since: string | null;
}

/**
 * One actor's place in a topic's landscape: the winner's id, stance code and `since`, or all
 * null when no statement is certainly made but some possibly are.
 */
export interface LandscapeEntry extends Openness {
  actorId: string;
  statementId: string | null;
  stance: string | null;
  since: string | null;
}

/** A piece of a topic's actors, by id: after `after` (exclusive), up to `through` (inclusive), at most `limit`. */
export interface ActorRange {
  after?: string;
  through?: string;
  limit?: number;
}

/** Orders alternatives by score: the topic's codebook, which the index does not hold. */
export type ScoreOf = (stance: string) => number;

export interface StatementAsKnown extends IndexedStatement {
  correctedAt: string | null;
  retractedAt: string | null;
}

/** Every record time: what `knownAt` omitted means. */
export const KNOWN_NOW = Number.MAX_SAFE_INTEGER;

const STATEMENT_COLUMNS = `statement_id AS statementId, actor_id AS actorId, topic_id AS topicId, stance, stated_on AS statedOn,
  stated_position AS statedPosition, fields, recorded_at AS recordedAt, known_from AS knownFrom, earliest_ms AS earliest, latest_ms AS latest`;
const RULE_COLUMNS = `actor_id AS actorId, statement_id AS statementId, stance, stated_on AS statedOn,
  earliest_ms AS earliest, latest_ms AS latest, stated_position AS statedPosition`;
const KNOWN_AT = 'known_from_ms <= @knownAt AND (known_to_ms IS NULL OR known_to_ms > @knownAt)';
/**
 * Grouped by actor, in answerAt's order from the latest statement down: first those possibly
 * made by `at` (latest after it), then those certainly made. Statements not begun by `at` are
 * left out by `earliest_ms <= @at`, read from the same index. The unary `+` keeps that range
 * off the `_by_earliest` index: SQLite would otherwise pick it for one actor's question and sort
 * the actor's whole history (16 ms for 20,000 statements) before the first row, where the
 * `_by_latest` index gives rows in this order and reading stops after the few that decide.
 */
const LATEST_FIRST = `+earliest_ms <= @at AND ${KNOWN_AT} ORDER BY actor_id, latest_ms DESC, earliest_ms DESC, stated_position DESC`;

/**
 * Rows of one actor read at once for a position: nearly every one is decided by its first few
 * (0.54 rows a question on average at 1,000,000 statements), and one `all` costs less than
 * stepping an iterator.
 */
const FIRST_ROWS = 8;

interface PositionQueries {
  suffix: string;
  /** The first FIRST_ROWS rows. */
  first: Database.Statement;
  /** Every row, stepped until the answer is decided. */
  all: Database.Statement;
}

type StatementRow = Omit<IndexedStatement, 'fields'> & { stance: string; statedOn: string; fields: string };
type VersionRow = StatementRow & { knownFromMs: number; knownToMs: number | null; closedBy: string | null };
/** What the rules read of a row: its actor, stance, statedOn (for since), range and place in the log. */
type RuleRow = DatedStatement & { actorId: string; statedOn: string };

/**
 * The questions the bitemporal statements index answers (`statements.projection.ts` keeps it):
 * positions, landscapes, timelines, statements as known at a moment.
 */
export class StatementIndex {
  private positions: PositionQueries | null = null;

  constructor(private readonly read: ViewReader) {}

  /**
   * The position (docs/domain.md, "Positions") from the index: the domain's `answerAt` over the few rows that
   * decide it (see `RowsThatDecide`), read latest first through one index range, never the
   * whole history when the winner's run and the candidates end early. Null when no statement
   * was even possibly made by `at`.
   */
  positionAt(actorId: string, topicId: string, atMs: number, knownAtMs = KNOWN_NOW, scoreOf?: ScoreOf): IndexedPosition | null {
    return this.read.guard(() => {
      const { first, all } = this.positionQueries();
      const params = { actorId, topicId, at: atMs, knownAt: knownAtMs };
      let rows = new RowsThatDecide<StatementRow>(atMs);
      const page = first.all(params) as StatementRow[];
      let decided = page.length < FIRST_ROWS;
      for (const row of page) {
        if (!rows.take(row)) {
          decided = true;
          break;
        }
      }
      if (!decided) {
        // Still open after the first rows (a long run of one stance): read them all again, in one snapshot.
        rows = new RowsThatDecide<StatementRow>(atMs);
        for (const row of all.iterate(params) as Iterable<StatementRow>) if (!rows.take(row)) break;
      }
      if (rows.taken.length === 0) return null;
      const { winner, runStart, certainty, alternatives } = answerAt(rows.taken, atMs, scoreOf);
      return { statement: winner && toStatement(winner), since: runStart?.statedOn ?? null, certainty, alternatives };
    });
  }

  /**
   * A topic's landscape as lean rows: each actor's answer from indexed columns alone, with no
   * statement's fields parsed (10,000 actors on a topic answer in milliseconds). Each entry is
   * what `positionAt` answers for that actor; actors with nothing made by `at` are left out.
   * `actors` reads one piece of the index: the first `limit` actors after `after` (by id), or
   * those up to `through`, so a page costs what it holds, not the whole topic.
   */
  landscapeEntries(topicId: string, atMs: number, knownAtMs = KNOWN_NOW, scoreOf?: ScoreOf, actors: ActorRange = {}): LandscapeEntry[] {
    return this.read.guard(() => {
      const through = actors.through === undefined ? '' : 'AND actor_id <= @through';
      const sql = `SELECT ${RULE_COLUMNS} FROM ${this.versions()} WHERE topic_id = @topicId AND actor_id > @after ${through} AND ${LATEST_FIRST}`;
      const params = { topicId, at: atMs, knownAt: knownAtMs, after: actors.after ?? '', ...(actors.through !== undefined && { through: actors.through }) };
      const limit = actors.limit ?? Infinity;
      const byActor = new Map<string, RowsThatDecide<RuleRow>>();
      for (const row of this.read.prepare(sql).iterate(params) as Iterable<RuleRow>) {
        let rows = byActor.get(row.actorId);
        if (!rows) {
          // Rows come grouped by actor: the first row of one actor too many ends the piece.
          if (byActor.size === limit) break;
          byActor.set(row.actorId, (rows = new RowsThatDecide<RuleRow>(atMs)));
        }
        rows.take(row);
      }
      return [...byActor].map(([actorId, rows]) => {
        const { winner, runStart, certainty, alternatives } = answerAt(rows.taken, atMs, scoreOf);
        return { actorId, statementId: winner?.statementId ?? null, stance: winner?.stance ?? null, since: runStart?.statedOn ?? null, certainty, alternatives };
      });
    });
  }

  /** The actor's statements on the topic known at `knownAtMs`, retracted ones left out, by earliest, then latest, then record order. */
  timeline(actorId: string, topicId: string, knownAtMs = KNOWN_NOW): IndexedStatement[] {
    return this.read.guard(() => {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${this.versions()}
        WHERE actor_id = @actorId AND topic_id = @topicId AND ${KNOWN_AT} ORDER BY earliest_ms, latest_ms, stated_position`;
      return (this.read.prepare(sql).all({ actorId, topicId, knownAt: knownAtMs }) as StatementRow[]).map(toStatement);
    });
  }

  /**
   * A statement as the record stood at `knownAtMs`: null when it was not recorded yet.
   * `correctedAt` is the time of the last correction applied, `retractedAt` of the retraction.
   */
  statement(statementId: string, knownAtMs = KNOWN_NOW): StatementAsKnown | null {
    return this.read.guard(() => {
      const known = this.versionsOf(statementId).filter((v) => v.knownFromMs <= knownAtMs);
      if (known.length === 0) return null;
      const { knownToMs, closedBy, ...row } = known[known.length - 1];
      const retracted = closedBy === 'retraction' && knownToMs !== null && knownToMs <= knownAtMs;
      return {
        ...toStatement(row),
        correctedAt: known.length > 1 ? row.knownFrom : null,
        retractedAt: retracted ? new Date(knownToMs).toISOString() : null,
      };
    });
  }

  /** Where a statement lives (its actor and topic), or null for an unknown id. */
  statementLocation(statementId: string): { actorId: string; topicId: string } | null {
    return this.read.guard(() => {
      const first = this.versionsOf(statementId)[0];
      return first ? { actorId: first.actorId, topicId: first.topicId } : null;
    });
  }

  private versionsOf(statementId: string): VersionRow[] {
    const sql = `SELECT ${STATEMENT_COLUMNS}, known_from_ms AS knownFromMs, known_to_ms AS knownToMs, closed_by AS closedBy
      FROM ${this.versions()} WHERE statement_id = ? ORDER BY known_from_ms, rowid`;
    return this.read.prepare(sql).all(statementId) as VersionRow[];
  }

  private versions(): string {
    return statementVersionsTable(this.read.suffix(STATEMENTS_VIEW));
  }

  /**
   * positionAt's statements for the serving generation, kept with it: building and looking up
   * their SQL text on every question cost more than the lookup they replace.
   */
  private positionQueries(): PositionQueries {
    const suffix = this.read.suffix(STATEMENTS_VIEW);
    if (this.positions?.suffix !== suffix) {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${statementVersionsTable(suffix)} WHERE actor_id = @actorId AND topic_id = @topicId AND ${LATEST_FIRST}`;
      this.positions = { suffix, first: this.read.prepare(`${sql} LIMIT ${FIRST_ROWS}`), all: this.read.prepare(sql) };
    }
    return this.positions;
  }
}

/**
 * The rows of one actor, read latest first, that `answerAt` needs to give the same answer as
 * over all of them: every possibly-made one (latest after `at`), the winner's run of its stance
 * (for since), and the certainly-made ones no certainly-made one surely follows (latest not
 * before the greatest earliest among them). Once the run is broken and a row's latest falls
 * below the greatest earliest seen, every row after it (earliest <= latest) is followed, and
 * that greatest earliest is final: reading stops there.
 */
class RowsThatDecide<R extends RuleRow> {
  readonly taken: R[] = [];
  private winnerStance: string | null = null;
  private runOpen = true;
  private maxEarliest = -Infinity;
  private done = false;

  constructor(private readonly at: number) {}

  /** Takes a row if it may decide the answer; false once no later row can. */
  take(row: R): boolean {
    if (this.done) return false;
    if (row.latest > this.at) {
      this.taken.push(row);
      return true;
    }
    if (this.winnerStance === null) this.winnerStance = row.stance;
    else if (this.runOpen && row.stance !== this.winnerStance) this.runOpen = false;
    if (!this.runOpen && row.latest < this.maxEarliest) {
      this.done = true;
      return false;
    }
    this.taken.push(row);
    this.maxEarliest = Math.max(this.maxEarliest, row.earliest);
    return true;
  }
}

function toStatement({ stance: _stance, statedOn: _statedOn, fields, ...rest }: StatementRow): IndexedStatement {
  return { ...rest, fields: JSON.parse(fields) as StatementFields };
}
