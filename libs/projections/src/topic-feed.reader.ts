import { STATEMENTS_VIEW, statementVersionsTable } from './statements.projection';
import type { ViewReader } from './view-reader';

/**
 * The actors with a statement on a topic recorded by `knownAtMs` (retracted ones count: the
 * page draws them), by id, after `afterActorId`, at most `limit`. Reads the statements index's
 * (topic_id, actor_id, …) index, skipping from one actor to the next.
 */
export function topicSpeakers(read: ViewReader, topicId: string, knownAtMs: number, afterActorId: string, limit: number): string[] {
  return read.guard(() => {
    const table = statementVersionsTable(read.suffix(STATEMENTS_VIEW));
    const sql = `SELECT DISTINCT actor_id FROM ${table} WHERE topic_id = @topicId AND actor_id > @after AND known_from_ms <= @knownAt ORDER BY actor_id LIMIT @limit`;
    return read.prepare(sql).pluck().all({ topicId, after: afterActorId, knownAt: knownAtMs, limit }) as string[];
  });
}

/** How many actors have a statement on each topic (retracted ones count, as in the feed), by topic id: a page opens the busiest one. */
export function topicSpeakerCounts(read: ViewReader): Map<string, number> {
  return read.guard(() => {
    const table = statementVersionsTable(read.suffix(STATEMENTS_VIEW));
    const rows = read.prepare(`SELECT topic_id AS topicId, COUNT(DISTINCT actor_id) AS speakers FROM ${table} GROUP BY topic_id`).all() as { topicId: string; speakers: number }[];
    return new Map(rows.map((row) => [row.topicId, row.speakers]));
  });
}
