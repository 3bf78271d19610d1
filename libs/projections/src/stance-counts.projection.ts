import { parseStream, type PositionEvent } from '@positions/domain';
import { documentProjection } from './document-view';

/** One actor's statements on one topic, as the daily stance counts need them. */
export interface ActorTopicStatements {
  actorId: string;
  topicId: string;
  /** By statement id; retracted statements are removed. */
  statements: Record<string, { statedOn: string; stance: string; position: number }>;
}

/**
 * The view behind `GET /api/topics/{t}/stance-counts`: built purely by replaying the log,
 * a row per actor and topic with the statements that count today.
 */
export const stanceCountsProjection = documentProjection<ActorTopicStatements>({
  name: 'stance-counts',
  version: 1,
  handles: ['PositionStated', 'StatementCorrected', 'StatementRetracted'],
  keyOf: (event) => {
    const ref = parseStream(event.streamId);
    return ref?.kind === 'position' ? stanceCountsKey(ref.topicId, ref.actorId) : null;
  },
  evolve: (row, stored) => {
    const ref = parseStream(stored.streamId);
    if (ref?.kind !== 'position') return row;
    const current = row ?? { actorId: ref.actorId, topicId: ref.topicId, statements: {} };
    const event = { type: stored.type, data: stored.data } as PositionEvent;
    const { statementId } = event.data;
    const statements = { ...current.statements };
    if (event.type === 'PositionStated') {
      statements[statementId] = { statedOn: event.data.statedOn, stance: event.data.stance, position: stored.position };
    } else if (!Object.hasOwn(statements, statementId)) {
      return current;
    } else if (event.type === 'StatementRetracted') {
      delete statements[statementId];
    } else {
      const { stance, statedOn } = event.data.changes;
      statements[statementId] = { ...statements[statementId], ...(stance && { stance }), ...(statedOn && { statedOn }) };
    }
    return { ...current, statements };
  },
});

/** Rows of one topic sort together: `{topicId}/{actorId}` (slugs hold no '/'). */
export const stanceCountsKey = (topicId: string, actorId: string): string => `${topicId}/${actorId}`;
