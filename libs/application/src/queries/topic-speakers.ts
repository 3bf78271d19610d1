import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { ReadModels } from '@positions/projections';

/**
 * The topic's actors whose speakers are read from the index between two pauses: a thousand
 * take ~7 ms at 1,000,000 statements, the 10,000 of the bench's largest topic 68 ms in one read.
 */
export const SPEAKERS_PER_TURN = 1000;

/**
 * Every actor with a statement on the topic as known at `knownAtMs`, by id, after `after`: read
 * over ranges of `size` of the topic's actors (those that ever had a statement on it), one range
 * per turn. Asked as "the next `size` speakers known then", the index was read to the end of the
 * topic when few were known (an early `knownAt`). Empty ranges yield nothing.
 */
export async function* speakerPieces(views: ReadModels, topicId: string, knownAtMs: number, after = '', size = SPEAKERS_PER_TURN): AsyncGenerator<string[]> {
  for (let from = after; ; ) {
    // The last range is open: an actor the topic-speakers view has not taken in yet is still read.
    const through = views.topicActorsEnd(topicId, from, size);
    const piece = views.topicSpeakers(topicId, knownAtMs, from, Infinity, through ?? undefined);
    if (piece.length > 0) yield piece;
    if (through === null) return;
    from = through;
    await yieldToRequests();
  }
}
