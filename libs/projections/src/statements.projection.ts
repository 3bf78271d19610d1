import { parseStream, type PositionEvent, startInstant, type StatementFields, toDomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';

export const STATEMENTS_VIEW = 'statements';
export const statementVersionsTable = (suffix: string): string => `statement_versions${suffix}`;

/**
 * The bitemporal index behind `positionAt`: one row per version of a statement, valid in
 * record time over [known_from_ms, known_to_ms). A correction closes the current version and
 * opens the next; a retraction closes it and opens none. A question at (at, knownAt) then
 * takes the rows known at `knownAt` with `stated_on_ms <= at`, newest first, through an index,
 * instead of folding the stream.
 */
export const statementsProjection: Projection = {
  name: STATEMENTS_VIEW,
  version: 2,
  handles: ['PositionStated', 'StatementCorrected', 'StatementRetracted'],
  open(db: ViewsDatabase, suffix: string) {
    const table = statementVersionsTable(suffix);
    createTables(db, table);
    const insert = db.prepare(`INSERT INTO ${table}
      (statement_id, actor_id, topic_id, stance, stated_on, stated_on_ms, stated_position, fields, recorded_at, known_from, known_from_ms)
      VALUES (@statementId, @actorId, @topicId, @stance, @statedOn, @statedOnMs, @statedPosition, @fields, @recordedAt, @knownFrom, @knownFromMs)`);
    const current = db.prepare(`SELECT actor_id AS actorId, topic_id AS topicId, stated_position AS statedPosition, fields, recorded_at AS recordedAt
      FROM ${table} WHERE statement_id = ? AND known_to_ms IS NULL`);
    const close = db.prepare(`UPDATE ${table} SET known_to_ms = ?, closed_by = ?
      WHERE statement_id = ? AND known_to_ms IS NULL`);

    return (stored: StoredEvent) => {
      const event = toDomainEvent<PositionEvent>(stored);
      const knownFromMs = Date.parse(stored.recordedAt);
      const version = (fields: StatementFields, base: { actorId: string; topicId: string; statedPosition: number; recordedAt: string }) => ({
        statementId: event.data.statementId,
        ...base,
        stance: fields.stance,
        statedOn: fields.statedOn,
        statedOnMs: startInstant(fields.statedOn),
        fields: JSON.stringify(fields),
        knownFrom: stored.recordedAt,
        knownFromMs,
      });
      if (event.type === 'PositionStated') {
        const ref = parseStream(stored.streamId);
        if (ref?.kind !== 'position') return;
        const { statementId: _statementId, ...fields } = event.data;
        insert.run(version(fields, { actorId: ref.actorId, topicId: ref.topicId, statedPosition: stored.position, recordedAt: stored.recordedAt }));
        return;
      }
      const row = current.get(event.data.statementId) as (Omit<VersionBase, 'fields'> & { fields: string }) | undefined;
      if (!row) return;
      close.run(knownFromMs, event.type === 'StatementCorrected' ? 'correction' : 'retraction', event.data.statementId);
      if (event.type === 'StatementCorrected') {
        insert.run(version({ ...(JSON.parse(row.fields) as StatementFields), ...event.data.changes }, row));
      }
    };
  },
  drop(db: ViewsDatabase, suffix: string) {
    db.exec(`DROP TABLE IF EXISTS ${statementVersionsTable(suffix)}`);
  },
};

type VersionBase = { actorId: string; topicId: string; statedPosition: number; recordedAt: string; fields: StatementFields };

function createTables(db: ViewsDatabase, table: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    statement_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    stance TEXT NOT NULL,
    -- As stated, for answers that need no other field (a landscape's since) without parsing fields.
    stated_on TEXT NOT NULL,
    stated_on_ms INTEGER NOT NULL,
    stated_position INTEGER NOT NULL,
    fields TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    known_from TEXT NOT NULL,
    known_from_ms INTEGER NOT NULL,
    known_to_ms INTEGER,
    closed_by TEXT
  );
  -- One index serves both one actor's position (topic and actor fixed) and a topic's landscape.
  CREATE INDEX IF NOT EXISTS ${table}_by_topic
    ON ${table} (topic_id, actor_id, stated_on_ms DESC, stated_position DESC);
  CREATE INDEX IF NOT EXISTS ${table}_by_statement
    ON ${table} (statement_id, known_from_ms);`);
}
