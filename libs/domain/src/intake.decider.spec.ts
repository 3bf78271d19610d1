import { deciderSpec } from '@positions/testing';
import { InvalidValue } from './errors';
import type { AcceptCandidate, RejectCandidate, TakeArticle } from './intake.commands';
import { intakeDecider } from './intake.decider';
import { CandidateAlreadyDecided, CandidateNotFound, DraftIdTaken, DraftNotFound, PublishedInTheFuture } from './intake.errors';
import type { ArticleTaken, IntakeCandidate } from './intake.events';

const intake = deciderSpec(intakeDecider);
const DRAFT = '0f9d3c1e-4b5a-4c6d-8e7f-000000000001';

const candidate: IntakeCandidate = {
  candidateId: 'c1',
  quote: "we haven't lifted any sanctions",
  quoteSpan: [10, 41],
  speaker: { actorId: 'donald-trump', name: 'Trump', span: [45, 50] },
  statedOn: '2025-02-26',
  statedOnWording: null,
  topicId: 'russia-sanctions-relief',
  stance: 'not-yet',
  stanceConfidence: 0.9,
  cues: ['lifted'],
};

const taken: ArticleTaken = {
  type: 'ArticleTaken',
  data: { draftId: DRAFT, text: 'An article.', source: { title: 'A report', publishedOn: '2025-02-26' }, candidates: [candidate] },
};
const take = (overrides: Partial<TakeArticle> = {}): TakeArticle => ({ type: 'TakeArticle', today: '2025-03-01', ...taken.data, ...overrides });
const accept: AcceptCandidate = { type: 'AcceptCandidate', draftId: DRAFT, candidateId: 'c1', statementId: 's-1' };
const reject: RejectCandidate = { type: 'RejectCandidate', draftId: DRAFT, candidateId: 'c1', reason: 'not about the topic' };

describe('intake decider', () => {
  it('takes an article with its candidates', () => {
    intake.when(take()).then([taken]);
  });

  it('refuses a draft id already taken, an empty text and a publishedOn after today', () => {
    intake.given([taken]).when(take()).thenThrows(DraftIdTaken, { code: 'INTAKE.DRAFT_ID_TAKEN', kind: 'already-exists' });
    intake.when(take({ text: '  \n ' })).thenThrows(InvalidValue, { code: 'INVALID_VALUE', kind: 'invalid', field: 'text' });
    intake
      .when(take({ source: { title: 'A report', publishedOn: '2025-03-02' } }))
      .thenThrows(PublishedInTheFuture, { code: 'INTAKE.PUBLISHED_IN_THE_FUTURE', kind: 'rule-broken', field: 'publishedOn' });
  });

  it('accepts an open candidate with the statement recorded for it', () => {
    intake.given([taken]).when(accept).then([{ type: 'CandidateAccepted', data: { draftId: DRAFT, candidateId: 'c1', statementId: 's-1' } }]);
  });

  it('rejects an open candidate with a reason, and refuses a blank reason', () => {
    intake.given([taken]).when(reject).then([{ type: 'CandidateRejected', data: { draftId: DRAFT, candidateId: 'c1', reason: 'not about the topic' } }]);
    intake.given([taken]).when({ ...reject, reason: ' ' }).thenThrows(InvalidValue, { code: 'INVALID_VALUE', kind: 'invalid', field: 'reason' });
  });

  it('refuses deciding a candidate twice, an unknown candidate and an unknown draft', () => {
    const accepted = { type: 'CandidateAccepted', data: { draftId: DRAFT, candidateId: 'c1', statementId: 's-1' } } as const;
    intake.given([taken, accepted]).when(accept).thenThrows(CandidateAlreadyDecided, { code: 'INTAKE.CANDIDATE_DECIDED', kind: 'already-exists' });
    intake.given([taken, accepted]).when(reject).thenThrows(CandidateAlreadyDecided, { code: 'INTAKE.CANDIDATE_DECIDED', kind: 'already-exists' });
    intake.given([taken]).when({ ...accept, candidateId: 'c9' }).thenThrows(CandidateNotFound, { code: 'INTAKE.CANDIDATE_NOT_FOUND', kind: 'not-found' });
    intake.when(accept).thenThrows(DraftNotFound, { code: 'INTAKE.DRAFT_NOT_FOUND', kind: 'not-found' });
  });
});
