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
