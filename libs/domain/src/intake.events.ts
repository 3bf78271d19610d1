import type { Event } from './event';
import type { Source } from './position.events';

/** Character offsets `[start, end)` in a draft's text. */
export type Span = [number, number];

/** Where a statement recorded from an article came from: kept on `PositionStated`, shown in its answers and history. */
export interface IntakeProvenance {
  draftId: string;
  candidateId: string;
  /** The quote's (or the reported clause's) span in the draft's text. */
  quoteSpan: Span;
}

/** Who a candidate's words are attributed to: `actorId` null where no registered actor matches `name`. */
export interface CandidateSpeaker {
  actorId: string | null;
  name: string | null;
  span: Span | null;
}

/** One statement the article seems to report, as suggested; the recorder decides. */
export interface IntakeCandidate {
  candidateId: string;
  /** The quoted words; null for reported speech without a quote. */
  quote: string | null;
  quoteSpan: Span;
  speaker: CandidateSpeaker;
  statedOn: string;
  statedOnWording: string | null;
  topicId: string | null;
  stance: string | null;
  stanceConfidence: number;
  cues: string[];
}

export type ArticleTaken = Event<
  'ArticleTaken',
  { draftId: string; text: string; source: Source & { publishedOn: string }; topicId?: string; candidates: IntakeCandidate[] }
>;
export type CandidateAccepted = Event<'CandidateAccepted', { draftId: string; candidateId: string; statementId: string }>;
export type CandidateRejected = Event<'CandidateRejected', { draftId: string; candidateId: string; reason: string }>;

export type IntakeEvent = ArticleTaken | CandidateAccepted | CandidateRejected;
