import type { Event } from './event';
import type { IntakeProvenance } from './intake.events';

/** Where a statement was reported: at least a `url` or a `title`. */
export interface Source {
  url?: string;
  title?: string;
  publisher?: string;
  /** A date, `YYYY-MM-DD`. */
  publishedOn?: string;
}

/** What a statement says, besides its actor and topic: the fields of `PositionStated`. */
export interface StatementFields {
  stance: string;
  summary: string;
  quote?: string;
  /**
   * Valid time, chosen by whoever records it: a day, a date-time with offset, or an imprecise
   * EDTF form (month, year, interval, qualifiers) as the source gave it (stated-on.ts).
   */
  statedOn: string;
  /** The source's own words for the date ("last week"), 1–200 characters. */
  statedOnWording?: string;
  source: Source;
  onBehalfOf?: string;
  /** Set when it was recorded from an intake draft's candidate; never corrected (not in `CORRECTABLE`). */
  intake?: IntakeProvenance;
}

/** The fields a correction may change: all of them, never the actor or the topic (docs/domain.md, "Corrections and retractions"). */
export const CORRECTABLE: readonly (keyof StatementFields)[] = ['stance', 'summary', 'quote', 'statedOn', 'statedOnWording', 'source', 'onBehalfOf'];

/** Actor and topic are not in the data: they are the stream's (`position-{actorId}.{topicId}`). */
export type PositionStated = Event<'PositionStated', { statementId: string } & StatementFields>;
export type StatementCorrected = Event<
  'StatementCorrected',
  { statementId: string; changes: Partial<StatementFields>; reason: string }
>;
export type StatementRetracted = Event<'StatementRetracted', { statementId: string; reason: string }>;

export type PositionEvent = PositionStated | StatementCorrected | StatementRetracted;
