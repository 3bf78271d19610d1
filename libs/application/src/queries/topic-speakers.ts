import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { ReadModels } from '@positions/projections';

/**
 * Speakers of a topic read from the index between two pauses: a thousand take ~7 ms at
 * 1,000,000 statements, the 10,000 of the bench's largest topic 68 ms in one read.
 */
export const SPEAKERS_PER_TURN = 1000;

/** Every actor with a statement on the topic as known at `knownAtMs`, by id, a piece at a time with a pause between pieces. */
export async function* speakerPieces(views: ReadModels, topicId: string, knownAtMs: number): AsyncGenerator<string[]> {
  for (let after = ''; ; ) {
    const piece = views.topicSpeakers(topicId, knownAtMs, after, SPEAKERS_PER_TURN);
    if (piece.length > 0) yield piece;
    if (piece.length < SPEAKERS_PER_TURN) return;
    after = piece[piece.length - 1];
    await yieldToRequests();
  }
}
