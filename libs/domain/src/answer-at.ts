/*
 * The rules that turn dated statements into an answer at a date (docs/domain.md, "Answering
 * 'what was the position?'" and "Dates as the sources give them"), shared by positions and
 * voices. With days and date-times only, every answer is certain: the winner is the statement
 * with the greatest statedOn, ties to the one recorded later.
 */

/** What the rules need of a statement: its stance, its range (epoch ms) and its place in the log. */
export interface DatedStatement {
  statementId: string;
  stance: string;
  /** Start of its first day (or its instant). */
  earliest: number;
  /** Start of its last day (or its instant), clipped at its recording. */
  latest: number;
  /** Global position of its `PositionStated`: later recorded wins ties. */
  statedPosition: number;
}

export type Certainty = 'certain' | 'uncertain';

/** Another answer the sources leave open: stance null is "no position". */
export interface Alternative {
  stance: string | null;
  statementId: string | null;
}

export interface DatedAnswer<S extends DatedStatement> {
  /** The latest certainly-made statement, or null: no known position. */
  winner: S | null;
  /** The first statement of the winner's unbroken run of the same stance. */
  runStart: S | null;
  certainty: Certainty;
  alternatives: Alternative[];
}

/** The order in which "the latest statement" is found: by latest, then earliest, then record order. */
export function byLatest(a: DatedStatement, b: DatedStatement): number {
  return a.latest - b.latest || a.earliest - b.earliest || a.statedPosition - b.statedPosition;
}

/** Timeline order: by earliest, then latest, then record order. */
export function byEarliest(a: DatedStatement, b: DatedStatement): number {
  return a.earliest - b.earliest || a.latest - b.latest || a.statedPosition - b.statedPosition;
}

/**
 * The answer at instant `at` (epoch ms; a bare date's end) over live statements. `scoreOf`
 * orders the alternatives (by score, then code); without it, by code.
 */
export function answerAt<S extends DatedStatement>(statements: readonly S[], at: number, scoreOf?: (stance: string) => number): DatedAnswer<S> {
  const certain = statements.filter((s) => s.latest <= at).sort(byLatest);
  const winner = certain.at(-1) ?? null;
  let first = certain.length - 1;
  while (winner && first > 0 && certain[first - 1].stance === winner.stance) first -= 1;
  const alternatives = otherAnswers(candidates(statements, certain, at), winner, scoreOf);
  return { winner, runStart: winner ? certain[first] : null, certainty: alternatives.length === 0 ? 'certain' : 'uncertain', alternatives };
}

/**
 * Certainly- and possibly-made statements that no certainly-made statement surely follows
 * (begins after it ends, or where it ends and recorded later). One pass: only the greatest
 * `earliest` among the certain ones (and the latest recorded at it) can follow anything.
 */
function candidates<S extends DatedStatement>(statements: readonly S[], certain: readonly S[], at: number): S[] {
  let maxEarliest = -Infinity;
  let maxPosition = -Infinity;
  for (const t of certain) {
    if (t.earliest > maxEarliest) [maxEarliest, maxPosition] = [t.earliest, t.statedPosition];
    else if (t.earliest === maxEarliest) maxPosition = Math.max(maxPosition, t.statedPosition);
  }
  const followed = (s: S) => maxEarliest > s.latest || (maxEarliest === s.latest && maxPosition > s.statedPosition);
  return statements.filter((s) => s.earliest <= at && !followed(s));
}

function otherAnswers<S extends DatedStatement>(candidates: readonly S[], winner: S | null, scoreOf?: (stance: string) => number): Alternative[] {
  const latestByStance = new Map<string, S>();
  for (const s of candidates) {
    if (s.stance === winner?.stance) continue;
    const seen = latestByStance.get(s.stance);
    if (!seen || byLatest(seen, s) < 0) latestByStance.set(s.stance, s);
  }
  const score = (code: string) => scoreOf?.(code) ?? 0;
  // "No position" is a candidate only when nothing is certainly made, and then it is the answer
  // itself: it is never one of the others.
  return [...latestByStance.values()]
    .sort((a, b) => score(a.stance) - score(b.stance) || (a.stance < b.stance ? -1 : a.stance > b.stance ? 1 : 0))
    .map((s) => ({ stance: s.stance, statementId: s.statementId }));
}
