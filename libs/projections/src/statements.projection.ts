import { parseStream, type PositionEvent, recordedRange, type StatementFields, toDomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';

export const STATEMENTS_VIEW = 'statements';
export const statementVersionsTable = (suffix: string): string => `statement_versions${suffix}`;

/**
 * The bitemporal index behind `positionAt`: one row per version of a statement, valid in
 * record time over [known_from_ms, known_to_ms). A correction closes the current version and
 * opens the next; a retraction closes it and opens none. Each version keeps the range of its
 * `statedOn` (`earliest_ms`, `latest_ms`), clipped at the recordedAt of the event that set that
 * `statedOn`, as the domain's `recordedRange` clips it. A question at (at, knownAt) then reads
 * the rows known at `knownAt` by `latest_ms` through an index, instead of folding the stream.
 */
export const statementsProjection: Projection = {
  name: STATEMENTS_VIEW,
  version: 3,
  handles: ['PositionStated', 'StatementCorrected', 'StatementRetracted'],
  open(db: ViewsDatabase, suffix: string) {
    const table = statementVersionsTable(suffix);
    createTables(db, table);
    const insert = db.prepare(`INSERT INTO ${table}
      (statement_id, actor_id, topic_id, stance, stated_on, earliest_ms, latest_ms, stated_position, fields, recorded_at, known_from, known_from_ms)
      VALUES (@statementId, @actorId, @topicId, @stance, @statedOn, @earliest, @latest, @statedPosition, @fields, @recordedAt, @knownFrom, @knownFromMs)`);
    const current = db.prepare(`SELECT actor_id AS actorId, topic_id AS topicId, stated_position AS statedPosition, fields, recorded_at AS recordedAt,
      earliest_ms AS earliest, latest_ms AS latest FROM ${table} WHERE statement_id = ? AND known_to_ms IS NULL`);
    const close = db.prepare(`UPDATE ${table} SET known_to_ms = ?, closed_by = ?
      WHERE statement_id = ? AND known_to_ms IS NULL`);

    return (stored: StoredEvent) => {
      const event = toDomainEvent<PositionEvent>(stored);
      const knownFromMs = Date.parse(stored.recordedAt);
      const version = (fields: StatementFields, base: Omit<VersionBase, 'fields'>) => ({
        statementId: event.data.statementId,
        ...base,
        stance: fields.stance,
        statedOn: fields.statedOn,
        fields: JSON.stringify(fields),
        knownFrom: stored.recordedAt,
        knownFromMs,
      });
      if (event.type === 'PositionStated') {
        const ref = parseStream(stored.streamId);
        if (ref?.kind !== 'position') return;
        const { statementId: _statementId, ...fields } = event.data;
        const range = recordedRange(fields.statedOn, knownFromMs);
        insert.run(version(fields, { actorId: ref.actorId, topicId: ref.topicId, statedPosition: stored.position, recordedAt: stored.recordedAt, ...range }));
        return;
      }
      const row = current.get(event.data.statementId) as (Omit<VersionBase, 'fields'> & { fields: string }) | undefined;
      if (!row) return;
      close.run(knownFromMs, event.type === 'StatementCorrected' ? 'correction' : 'retraction', event.data.statementId);
      if (event.type === 'StatementCorrected') {
        const { fields, ...base } = row;
        const { statedOn } = event.data.changes;
        // A new statedOn is clipped at the moment the correction recorded it; otherwise the range stays.
        const range = statedOn === undefined ? {} : recordedRange(statedOn, knownFromMs);
        insert.run(version({ ...(JSON.parse(fields) as StatementFields), ...event.data.changes }, { ...base, ...range }));
      }
    };
  },
  queryIndexes(db: ViewsDatabase, suffix: string) {
    const table = statementVersionsTable(suffix);
    db.exec(`-- Positions and landscapes: the latest statement first (the order of answerAt's byLatest), and
    -- the possibly-made ones (latest after at) as a range of the same index.
    CREATE INDEX IF NOT EXISTS ${table}_by_latest
      ON ${table} (topic_id, actor_id, latest_ms DESC, earliest_ms DESC, stated_position DESC);
    -- Timelines: by earliest, then latest, then record order (byEarliest).
    CREATE INDEX IF NOT EXISTS ${table}_by_earliest
      ON ${table} (topic_id, actor_id, earliest_ms, latest_ms, stated_position);`);
  },
  drop(db: ViewsDatabase, suffix: string) {
    db.exec(`DROP TABLE IF EXISTS ${statementVersionsTable(suffix)}`);
  },
};

type VersionBase = { actorId: string; topicId: string; statedPosition: number; recordedAt: string; earliest: number; latest: number; fields: StatementFields };

function createTables(db: ViewsDatabase, table: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    statement_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    stance TEXT NOT NULL,
    -- As stated, for answers that need no other field (a landscape's since) without parsing fields.
    stated_on TEXT NOT NULL,
    -- The range of stated_on in epoch ms, clipped at its recording (recordedRange).
    earliest_ms INTEGER NOT NULL,
    latest_ms INTEGER NOT NULL,
    stated_position INTEGER NOT NULL,
    fields TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    known_from TEXT NOT NULL,
    known_from_ms INTEGER NOT NULL,
    known_to_ms INTEGER,
    closed_by TEXT
  );
  -- Corrections and retractions find the current version by it.
  CREATE INDEX IF NOT EXISTS ${table}_by_statement
    ON ${table} (statement_id, known_from_ms);`);
}
