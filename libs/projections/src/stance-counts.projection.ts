import { parseStream, type PositionEvent, recordedRange, toDomainEvent } from '@positions/domain';
import { documentProjection } from './document-view';
import type { ViewReader } from './view-reader';

/** One actor's statements on one topic, as the daily stance counts need them. */
export interface ActorTopicStatements {
  actorId: string;
  topicId: string;
  /**
   * By statement id; retracted statements are removed. `earliest`/`latest` (epoch ms) are the
   * range of `statedOn`, clipped at the recording of that `statedOn` (the domain's recordedRange).
   */
  statements: Record<string, { statedOn: string; stance: string; position: number; earliest: number; latest: number }>;
}

/**
 * The view behind `GET /api/topics/{t}/stance-counts`: built purely by replaying the log,
 * a row per actor and topic with the statements that count today.
 */
export const stanceCountsProjection = documentProjection<ActorTopicStatements>({
  name: 'stance-counts',
  version: 2,
  handles: ['PositionStated', 'StatementCorrected', 'StatementRetracted'],
  keyOf: (event) => {
    const ref = parseStream(event.streamId);
    return ref?.kind === 'position' ? stanceCountsKey(ref.topicId, ref.actorId) : null;
  },
  evolve: (row, stored) => {
    const ref = parseStream(stored.streamId);
    if (ref?.kind !== 'position') return row;
    const current = row ?? { actorId: ref.actorId, topicId: ref.topicId, statements: {} };
    const event = toDomainEvent<PositionEvent>(stored);
    const { statementId } = event.data;
    const statements = { ...current.statements };
    if (event.type === 'PositionStated') {
      const { statedOn, stance } = event.data;
      statements[statementId] = { statedOn, stance, position: stored.position, ...recordedRange(statedOn, Date.parse(stored.recordedAt)) };
    } else if (!Object.hasOwn(statements, statementId)) {
      return current;
    } else if (event.type === 'StatementRetracted') {
      delete statements[statementId];
    } else {
      const { stance, statedOn } = event.data.changes;
      const range = statedOn ? { statedOn, ...recordedRange(statedOn, Date.parse(stored.recordedAt)) } : {};
      statements[statementId] = { ...statements[statementId], ...(stance && { stance }), ...range };
    }
    return { ...current, statements };
  },
});

/** Rows of one topic sort together: `{topicId}/{actorId}` (slugs hold no '/'). */
export const stanceCountsKey = (topicId: string, actorId: string): string => `${topicId}/${actorId}`;

/** Each actor's statements on the topic that count today, for the daily stance counts. */
export function stanceCountRows(read: ViewReader, topicId: string): ActorTopicStatements[] {
  // Keys of the topic run from `{topicId}/` up to, not including, `{topicId}0` ('0' follows '/').
  return read.documents<ActorTopicStatements>(stanceCountsProjection.name, { from: stanceCountsKey(topicId, ''), to: `${topicId}0` });
}
