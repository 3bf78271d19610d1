import { type Alternative, answerAt, byEarliest, type Certainty, type DatedStatement } from './answer-at';
import { assertNever, type Recorded } from './event';
import { CORRECTABLE, type PositionEvent, type PositionStated, type StatementCorrected, type StatementFields } from './position.events';
import { recordedRangeIso } from './stated-on';
import { endInstant, startInstant } from './valid-time';

/*
 * The reference answer to "what was the position?" (docs/domain.md, "Positions"): a plain fold over one
 * position stream. Read models are tested against it, so it favours being obviously
 * right over being fast.
 */

/** A statement as it stood at some record time. */
export type StatementState = Readonly<
  StatementFields & {
    statementId: string;
    /** Global log position of its `PositionStated`: the tie-breaker, never moved by corrections. */
    statedPosition: number;
    recordedAt: string;
    correctedAt: string | null;
    retracted: boolean;
    retractedAt: string | null;
    /** The range of `statedOn` as recorded (ISO-8601 UTC): the same instant for a day or a date-time. */
    earliest: string;
    latest: string;
  }
>;

export interface PositionAnswer {
  /** The stance code, or null for "no known position". */
  stance: string | null;
  /** The `statedOn` (as stated) that began the current run of this stance. */
  since: string | null;
  statement: StatementState | null;
  /** `uncertain` when a statement that may have been made by then would give another answer. */
  certainty: Certainty;
  /** One entry per other answer the sources leave open. */
  alternatives: Alternative[];
}


function correctedFields(changes: Partial<StatementFields>): Partial<StatementFields> {
  const entries = CORRECTABLE.filter((key) => changes[key] !== undefined).map((key) => [key, changes[key]]);
  return Object.fromEntries(entries) as Partial<StatementFields>;
}

type Statements = Map<string, StatementState>;

/**
 * Applies one more event of a position stream to its statements, in place: for a reader that
 * follows a stream event by event (the watch messages) instead of folding it whole each time.
 */
export function foldInto(statements: Statements, event: Recorded<PositionEvent>): void {
  apply(statements, event);
}

function apply(statements: Statements, event: Recorded<PositionEvent>): void {
  const { statementId } = event.data;
  const current = statements.get(statementId);
  switch (event.type) {
    case 'PositionStated':
      // Ids are registered once; a second PositionStated for one id cannot rewrite the first.
      if (current) return;
      statements.set(statementId, stated(event));
      return;
    case 'StatementCorrected':
      if (!current) return;
      statements.set(statementId, corrected(current, event));
      return;
    case 'StatementRetracted':
      if (!current) return;
      statements.set(statementId, { ...current, retracted: true, retractedAt: event.recordedAt });
      return;
    default:
      assertNever(event);
  }
}

function stated(event: Recorded<PositionStated>): StatementState {
  const { statementId, ...fields } = event.data;
  return {
    ...fields,
    statementId,
    statedPosition: event.position,
    recordedAt: event.recordedAt,
    correctedAt: null,
    retracted: false,
    retractedAt: null,
    ...recordedRangeIso(fields.statedOn, event.recordedAt),
  };
}

function corrected(current: StatementState, event: Recorded<StatementCorrected>): StatementState {
  const changes = correctedFields(event.data.changes);
  // A new statedOn is clipped at the moment the correction recorded it.
  const range = changes.statedOn === undefined ? {} : recordedRangeIso(changes.statedOn, event.recordedAt);
  return { ...current, ...changes, ...range, correctedAt: event.recordedAt };
}

/**
 * Every statement of one position stream as the record stood at `knownAt` (epoch ms; omitted:
 * the whole log), retracted ones included and marked, in the order they were first stated.
 */
export function foldStatements(events: readonly Recorded<PositionEvent>[], knownAt?: number): StatementState[] {
  const statements: Statements = new Map();
  for (const event of events) {
    if (knownAt === undefined || startInstant(event.recordedAt, 'recordedAt') <= knownAt) apply(statements, event);
  }
  return [...statements.values()];
}

/** A statement with its range in epoch ms, as the rules compare them. */
type Dated = DatedStatement & { state: StatementState };

/** States are never changed, only replaced: their parsed ranges are kept as long as they are. */
const datedStates = new WeakMap<StatementState, Dated>();

function dated(s: StatementState): Dated {
  let found = datedStates.get(s);
  if (!found) {
    found = { statementId: s.statementId, stance: s.stance, earliest: Date.parse(s.earliest), latest: Date.parse(s.latest), statedPosition: s.statedPosition, state: s };
    datedStates.set(s, found);
  }
  return found;
}

/** Non-retracted statements in timeline order: by earliest, then latest, then who was stated later. */
export function timelineOf(statements: readonly StatementState[]): StatementState[] {
  return statements
    .filter((s) => !s.retracted)
    .map(dated)
    .sort(byEarliest)
    .map((d) => d.state);
}

/**
 * The position of one actor on one topic at valid time `at`, as known at record time `knownAt`
 * (both in the API's time forms; a bare date means the end of its UTC day; `knownAt` omitted:
 * everything recorded). `scoreOf` orders the alternatives by score.
 */
export function positionAt(events: readonly Recorded<PositionEvent>[], at: string, knownAt?: string, scoreOf?: (stance: string) => number): PositionAnswer {
  const atEnd = endInstant(at, 'at');
  const knownEnd = knownAt === undefined ? undefined : endInstant(knownAt, 'knownAt');
  return positionOf(foldStatements(events, knownEnd), atEnd, scoreOf);
}

/** The position at instant `atMs` (epoch ms) over statements already folded (retracted ones are left out). */
export function positionOf(statements: Iterable<StatementState>, atMs: number, scoreOf?: (stance: string) => number): PositionAnswer {
  const live: Dated[] = [];
  for (const s of statements) if (!s.retracted) live.push(dated(s));
  const { winner, runStart, certainty, alternatives } = answerAt(live, atMs, scoreOf);
  return { stance: winner?.stance ?? null, since: runStart?.state.statedOn ?? null, statement: winner?.state ?? null, certainty, alternatives };
}
