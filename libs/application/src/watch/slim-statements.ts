import { answerAt, type Certainty, type DatedStatement, type PositionEvent, recordedRange, type VoiceStatement } from '@positions/domain';

/**
 * What deriving watch messages needs of a statement, and nothing more: its id, stance, range
 * (epoch ms), place in the log, the organization it was made for and whether it is retracted.
 * Summaries, quotes and sources stay in the log: at a million statements they are most of it.
 */
export interface SlimStatement extends DatedStatement {
  onBehalfOf?: string;
  retracted: boolean;
}

/** The current position of a stream as messages report it. */
export interface CurrentPosition {
  stance: string | null;
  statementId: string | null;
  certainty: Certainty;
}

export const NO_POSITION: CurrentPosition = { stance: null, statementId: null, certainty: 'certain' };

/** A stream's statements in the order they were first stated: an array, since most streams hold a few and a Map costs more than they do. */
export type SlimStatements = readonly SlimStatement[];

/**
 * A stream's statements after one more event, as `foldStatements` (libs/domain/src/position-at.ts)
 * folds whole statements: an id is stated once, corrections and retractions of an unknown id
 * change nothing, a corrected `statedOn` is clipped at the correction's recording. A new array
 * each time, made by `concat` (one grown by `push` or spread keeps room for 16 more, and most
 * streams hold one or two).
 * `intern` gives one shared string per stance code.
 */
export function foldSlim(statements: SlimStatements, event: PositionEvent, position: number, recordedAt: string, intern: (code: string) => string): SlimStatements {
  const { statementId } = event.data;
  const current = statements.find((s) => s.statementId === statementId);
  const recordedMs = Date.parse(recordedAt);
  if (event.type === 'PositionStated') {
    if (current) return statements;
    const { stance, statedOn, onBehalfOf } = event.data;
    return statements.concat([{ statementId, stance: intern(stance), ...recordedRange(statedOn, recordedMs), statedPosition: position, ...(onBehalfOf !== undefined && { onBehalfOf }), retracted: false }]);
  }
  if (!current) return statements;
  if (event.type === 'StatementRetracted') return statements.map((s) => (s === current ? { ...s, retracted: true } : s));
  const { stance, statedOn, onBehalfOf } = event.data.changes;
  const corrected: SlimStatement = {
    ...current,
    ...(stance !== undefined && { stance: intern(stance) }),
    ...(statedOn !== undefined && recordedRange(statedOn, recordedMs)),
    ...(onBehalfOf !== undefined && { onBehalfOf }),
  };
  return statements.map((s) => (s === current ? corrected : s));
}

/** The position at instant `atMs` over a stream's statements (retracted ones left out), as `positionOf` answers it. */
export function currentOf(statements: SlimStatements, atMs: number): CurrentPosition {
  const live = statements.filter((s) => !s.retracted);
  const { winner, certainty } = answerAt(live, atMs);
  return { stance: winner?.stance ?? null, statementId: winner?.statementId ?? null, certainty };
}

/** The live statements of one actor as `voiceAt` takes them. */
export function voiceStatements(actorId: string, statements: SlimStatements): VoiceStatement[] {
  const found: VoiceStatement[] = [];
  for (const s of statements) {
    // `statedOn` only makes a voice's `since`, which no message carries.
    if (!s.retracted) found.push({ ...s, actorId, statedOn: '' });
  }
  return found;
}

/** A statement as a checkpoint keeps it: a short array rather than an object with its keys. */
export type SlimRow = [statementId: string, stance: string, earliest: number, latest: number, statedPosition: number, retracted: 0 | 1, onBehalfOf?: string];

export function toRow(s: SlimStatement): SlimRow {
  const row: SlimRow = [s.statementId, s.stance, s.earliest, s.latest, s.statedPosition, s.retracted ? 1 : 0];
  if (s.onBehalfOf !== undefined) row.push(s.onBehalfOf);
  return row;
}

export function fromRow([statementId, stance, earliest, latest, statedPosition, retracted, onBehalfOf]: SlimRow, intern: (code: string) => string): SlimStatement {
  return { statementId, stance: intern(stance), earliest, latest, statedPosition, ...(onBehalfOf !== undefined && { onBehalfOf }), retracted: retracted === 1 };
}
