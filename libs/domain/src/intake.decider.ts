import type { Decider } from './decider';
import { InvalidValue } from './errors';
import { assertNever } from './event';
import { assertSlug } from './ids';
import type { AcceptCandidate, IntakeCommand, RejectCandidate, TakeArticle } from './intake.commands';
import { CandidateAlreadyDecided, CandidateNotFound, DraftIdTaken, DraftNotFound, PublishedInTheFuture } from './intake.errors';
import type { ArticleTaken, IntakeCandidate, IntakeEvent } from './intake.events';
import { assertSource } from './statement.rules';
import { assertText } from './text';
import { assertDate } from './valid-time';

/** A draft's text may be long (an article), but not unbounded: 1 MiB of characters at most. */
export const MAX_ARTICLE_CHARACTERS = 1024 * 1024;

export type CandidateDecision = { state: 'open' } | { state: 'accepted'; statementId: string } | { state: 'rejected'; reason: string };

export type DecidedCandidate = IntakeCandidate & CandidateDecision;

export type IntakeState =
  | { taken: false }
  | ({ taken: true } & Omit<ArticleTaken['data'], 'candidates'> & { candidates: readonly DecidedCandidate[] });

export const intakeDecider: Decider<IntakeCommand, IntakeEvent, IntakeState> = {
  initialState: () => ({ taken: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'ArticleTaken':
        return { taken: true, ...event.data, candidates: event.data.candidates.map((c) => ({ ...c, state: 'open' as const })) };
      case 'CandidateAccepted':
        return decided(state, event.data.candidateId, { state: 'accepted', statementId: event.data.statementId });
      case 'CandidateRejected':
        return decided(state, event.data.candidateId, { state: 'rejected', reason: event.data.reason });
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'TakeArticle':
        return [takeArticle(command, state)];
      case 'AcceptCandidate':
        return [accept(command, state)];
      case 'RejectCandidate':
        return [reject(command, state)];
      default:
        return assertNever(command);
    }
  },
};

function decided(state: IntakeState, candidateId: string, decision: CandidateDecision): IntakeState {
  if (!state.taken) return state;
  return { ...state, candidates: state.candidates.map((c) => (c.candidateId === candidateId ? { ...c, ...decision } : c)) };
}

function takeArticle({ type: _type, today, ...data }: TakeArticle, state: IntakeState): IntakeEvent {
  if (state.taken) throw new DraftIdTaken(data.draftId);
  if (typeof data.text !== 'string' || data.text.trim().length === 0) throw new InvalidValue('the article has no text', 'text');
  if (data.text.length > MAX_ARTICLE_CHARACTERS) throw new InvalidValue(`the article is longer than ${MAX_ARTICLE_CHARACTERS} characters`, 'text');
  assertDate(data.source.publishedOn, 'publishedOn');
  if (data.source.publishedOn > today) throw new PublishedInTheFuture(data.source.publishedOn, today);
  if (data.source.url !== undefined || data.source.title !== undefined) assertSource(data.source, 'source');
  else if (data.source.publisher !== undefined) assertText(data.source.publisher, 'publisher');
  if (data.topicId !== undefined) assertSlug(data.topicId, 'topicId');
  return { type: 'ArticleTaken', data };
}

/** The draft's open candidate, or the refusal: no draft, no such candidate, already decided. */
export function openCandidate(state: IntakeState, draftId: string, candidateId: string): IntakeCandidate {
  if (!state.taken) throw new DraftNotFound(draftId);
  const candidate = state.candidates.find((c) => c.candidateId === candidateId);
  if (!candidate) throw new CandidateNotFound(draftId, candidateId);
  if (candidate.state !== 'open') throw new CandidateAlreadyDecided(candidateId, candidate.state);
  return candidate;
}

function accept({ draftId, candidateId, statementId }: AcceptCandidate, state: IntakeState): IntakeEvent {
  openCandidate(state, draftId, candidateId);
  return { type: 'CandidateAccepted', data: { draftId, candidateId, statementId } };
}

function reject({ draftId, candidateId, reason }: RejectCandidate, state: IntakeState): IntakeEvent {
  openCandidate(state, draftId, candidateId);
  assertText(reason, 'reason');
  return { type: 'CandidateRejected', data: { draftId, candidateId, reason } };
}
