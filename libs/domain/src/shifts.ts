/** How a statement moved from the one before it in an actor's timeline on a topic (docs/domain.md, "Shifts"). */
export type Shift = 'first' | 'no-flip' | 'half-flip' | 'full-flop';

/** `toward` the proposition (score went up) or `away` from it; null when the score did not move. */
export type Direction = 'toward' | 'away';

export interface ShiftClass {
  shift: Shift;
  direction: Direction | null;
}

/**
 * Classes a statement's score against the previous statement's, null when there is none.
 * Scores, not codes, are compared: another code with the same score is still a `no-flip`.
 */
export function classifyShift(previousScore: number | null, score: number): ShiftClass {
  if (previousScore === null) return { shift: 'first', direction: null };
  const delta = score - previousScore;
  if (delta === 0) return { shift: 'no-flip', direction: null };
  const direction: Direction = delta > 0 ? 'toward' : 'away';
  return { shift: Math.abs(delta) === 1 ? 'half-flip' : 'full-flop', direction };
}
