import { assertNever, type Recorded } from './event';
import { CORRECTABLE, type PositionEvent, type PositionStated, type StatementCorrected, type StatementFields } from './position.events';
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
  }
>;

export interface PositionAnswer {
  /** The stance code, or null for "no known position". */
  stance: string | null;
  /** The `statedOn` (as stated) that began the current run of this stance. */
  since: string | null;
  statement: StatementState | null;
}


function correctedFields(changes: Partial<StatementFields>): Partial<StatementFields> {
  const entries = CORRECTABLE.filter((key) => changes[key] !== undefined).map((key) => [key, changes[key]]);
  return Object.fromEntries(entries) as Partial<StatementFields>;
}

type Statements = Map<string, StatementState>;

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
  };
}

function corrected(current: StatementState, event: Recorded<StatementCorrected>): StatementState {
  return { ...current, ...correctedFields(event.data.changes), correctedAt: event.recordedAt };
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

/** Non-retracted statements in valid-time order: by `statedOn` instant, then by who was stated later. */
export function timelineOf(statements: readonly StatementState[]): StatementState[] {
  return statements
    .filter((s) => !s.retracted)
    .map((s) => ({ s, instant: startInstant(s.statedOn, 'statedOn') }))
    .sort((a, b) => a.instant - b.instant || a.s.statedPosition - b.s.statedPosition)
    .map(({ s }) => s);
}

/**
 * The position of one actor on one topic at valid time `at`, as known at record time `knownAt`
 * (both in the API's time forms; a bare date means the end of its UTC day; `knownAt` omitted:
 * everything recorded).
 */
export function positionAt(events: readonly Recorded<PositionEvent>[], at: string, knownAt?: string): PositionAnswer {
  const atEnd = endInstant(at, 'at');
  const knownEnd = knownAt === undefined ? undefined : endInstant(knownAt, 'knownAt');
  const upToAt = timelineOf(foldStatements(events, knownEnd)).filter((s) => startInstant(s.statedOn) <= atEnd);
  // Timeline order is (statedOn, statedPosition), so the last entry is the winner of docs/domain.md, "Positions", tie-break included.
  const winner = upToAt.at(-1);
  if (!winner) return { stance: null, since: null, statement: null };
  return { stance: winner.stance, since: sinceOf(upToAt, winner.stance), statement: winner };
}

/** The `statedOn` that began the unbroken run of `stance` at the end of a timeline. */
function sinceOf(timeline: readonly StatementState[], stance: string): string {
  let first = timeline.length - 1;
  while (first > 0 && timeline[first - 1].stance === stance) first -= 1;
  return timeline[first].statedOn;
}
