import type { StatementFields } from '@positions/domain';
import { STATEMENTS_VIEW, statementVersionsTable } from './statements.projection';
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
}

export interface IndexedPosition {
  statement: IndexedStatement;
  /** `statedOn` of the first statement of the unbroken run with the winner's stance. */
  since: string;
}

/** One actor's place in a topic's landscape. */
export interface LandscapeEntry {
  actorId: string;
  statementId: string;
  /** The stance code. */
  stance: string;
  since: string;
}

export interface StatementAsKnown extends IndexedStatement {
  correctedAt: string | null;
  retractedAt: string | null;
}

/** Every record time: what `knownAt` omitted means. */
export const KNOWN_NOW = Number.MAX_SAFE_INTEGER;

const STATEMENT_COLUMNS = `statement_id AS statementId, actor_id AS actorId, topic_id AS topicId, stance, stated_on AS statedOn,
  stated_position AS statedPosition, fields, recorded_at AS recordedAt, known_from AS knownFrom`;
const KNOWN_AT = 'known_from_ms <= @knownAt AND (known_to_ms IS NULL OR known_to_ms > @knownAt)';
/** Grouped by actor, newest first: the order `firstRuns` reads. */
const NEWEST_FIRST = 'ORDER BY actor_id, stated_on_ms DESC, stated_position DESC';

type StatementRow = Omit<IndexedStatement, 'fields'> & { stance: string; statedOn: string; fields: string };
type VersionRow = StatementRow & { knownFromMs: number; knownToMs: number | null; closedBy: string | null };
type RunRow = { actorId: string; stance: string; statedOn: string };

/**
 * The questions the bitemporal statements index answers (`statements.projection.ts` keeps it):
 * positions, landscapes, timelines, statements as known at a moment.
 */
export class StatementIndex {
  constructor(private readonly read: ViewReader) {}

  /**
   * The position of DOMAIN.md from the index: the newest statement stated by `atMs` as the
   * record stood at `knownAtMs`, and how far back its stance runs unbroken. Reads only the
   * winner's run, newest first, never the whole history.
   */
  positionAt(actorId: string, topicId: string, atMs: number, knownAtMs = KNOWN_NOW): IndexedPosition | null {
    return this.read.guard(() => {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${this.versions()}
        WHERE actor_id = @actorId AND topic_id = @topicId AND stated_on_ms <= @at AND ${KNOWN_AT} ${NEWEST_FIRST}`;
      const rows = this.read.prepare(sql).iterate({ actorId, topicId, at: atMs, knownAt: knownAtMs }) as Iterable<StatementRow>;
      const [run] = firstRuns(rows, { oneActor: true });
      return run ? { statement: toStatement(run.winner), since: run.since } : null;
    });
  }

  /**
   * A topic's landscape as lean rows: each actor's winning statement id and stance and its
   * `since`, from indexed columns alone, with no statement's fields parsed (10,000 actors on a
   * topic answer in milliseconds). Each entry is what `positionAt` answers for that actor.
   */
  landscapeEntries(topicId: string, atMs: number, knownAtMs = KNOWN_NOW): LandscapeEntry[] {
    return this.read.guard(() => {
      const sql = `SELECT actor_id AS actorId, statement_id AS statementId, stance, stated_on AS statedOn FROM ${this.versions()}
        WHERE topic_id = @topicId AND stated_on_ms <= @at AND ${KNOWN_AT} ${NEWEST_FIRST}`;
      const rows = this.read.prepare(sql).iterate({ topicId, at: atMs, knownAt: knownAtMs }) as Iterable<RunRow & { statementId: string }>;
      return firstRuns(rows).map(({ winner, since }) => ({ actorId: winner.actorId, statementId: winner.statementId, stance: winner.stance, since }));
    });
  }

  /** The actor's statements on the topic known at `knownAtMs`, retracted ones left out, in valid-time order. */
  timeline(actorId: string, topicId: string, knownAtMs = KNOWN_NOW): IndexedStatement[] {
    return this.read.guard(() => {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${this.versions()}
        WHERE actor_id = @actorId AND topic_id = @topicId AND ${KNOWN_AT} ORDER BY stated_on_ms, stated_position`;
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
}

/**
 * Rows come grouped by actor, newest first: for each actor, the first row is the winner and
 * `since` is the oldest `statedOn` of the rows that follow with the same stance. With
 * `oneActor`, reading stops where the winner's run ends: leaving the loop ends the query's
 * iteration, so the rest of the history is never read.
 */
function firstRuns<R extends RunRow>(rows: Iterable<R>, { oneActor = false } = {}): { winner: R; since: string }[] {
  const runs: { winner: R; since: string }[] = [];
  let current: { winner: R; since: string } | null = null;
  let runOpen = false;
  for (const row of rows) {
    if (current?.winner.actorId !== row.actorId) {
      current = { winner: row, since: row.statedOn };
      runs.push(current);
      runOpen = true;
    } else if (runOpen && row.stance === current.winner.stance) {
      current.since = row.statedOn;
    } else if (oneActor) {
      break;
    } else {
      runOpen = false;
    }
  }
  return runs;
}

function toStatement({ stance: _stance, statedOn: _statedOn, fields, ...rest }: StatementRow): IndexedStatement {
  return { ...rest, fields: JSON.parse(fields) as StatementFields };
}
