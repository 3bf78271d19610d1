import { STATEMENTS_VIEW, statementVersionsTable } from './statements.projection';
import type { ViewReader } from './view-reader';

/**
 * The actors with a statement on a topic recorded by `knownAtMs` (retracted ones count: the
 * page draws them), by id, after `afterActorId`, at most `limit`, and none after `throughActorId`
 * when given. Reads the statements index's (topic_id, actor_id, …) index, skipping from one actor
 * to the next: without `throughActorId`, to the end of the topic when fewer than `limit` are known.
 */
export function topicSpeakers(read: ViewReader, topicId: string, knownAtMs: number, afterActorId: string, limit: number, throughActorId?: string): string[] {
  return read.guard(() => {
    const table = statementVersionsTable(read.suffix(STATEMENTS_VIEW));
    const through = throughActorId === undefined ? '' : 'AND actor_id <= @through';
    const sql = `SELECT DISTINCT actor_id FROM ${table} WHERE topic_id = @topicId AND actor_id > @after ${through} AND known_from_ms <= @knownAt ORDER BY actor_id LIMIT @limit`;
    const params = { topicId, after: afterActorId, knownAt: knownAtMs, limit: Number.isFinite(limit) ? limit : -1, ...(throughActorId !== undefined && { through: throughActorId }) };
    return read.prepare(sql).pluck().all(params) as string[];
  });
}
