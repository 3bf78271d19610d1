import { DomainError } from './errors';

export class DraftNotFound extends DomainError {
  readonly code = 'INTAKE.DRAFT_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(draftId: string) {
    super(`no intake draft '${draftId}'`, 'draftId');
  }
}

export class DraftIdTaken extends DomainError {
  readonly code = 'INTAKE.DRAFT_ID_TAKEN';
  readonly kind = 'already-exists';
  constructor(draftId: string) {
    super(`an intake draft '${draftId}' already exists`, 'draftId');
  }
}

export class CandidateNotFound extends DomainError {
  readonly code = 'INTAKE.CANDIDATE_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(draftId: string, candidateId: string) {
    super(`draft '${draftId}' has no candidate '${candidateId}'`, 'candidateId');
  }
}

export class CandidateAlreadyDecided extends DomainError {
  readonly code = 'INTAKE.CANDIDATE_DECIDED';
  readonly kind = 'already-exists';
  constructor(candidateId: string, state: 'accepted' | 'rejected') {
    super(`candidate '${candidateId}' was already ${state}`, 'candidateId');
  }
}

export class PublishedInTheFuture extends DomainError {
  readonly code = 'INTAKE.PUBLISHED_IN_THE_FUTURE';
  readonly kind = 'rule-broken';
  constructor(publishedOn: string, today: string) {
    super(`publishedOn ${publishedOn} is after today (${today})`, 'publishedOn');
  }
}

export class ArticleTooLongToRead extends DomainError {
  readonly code = 'INTAKE.TOO_LONG_TO_READ';
  readonly kind = 'rule-broken';
  constructor(field: 'text' | 'html', seconds: number) {
    super(`reading the ${field === 'html' ? 'page' : 'article'} took longer than ${seconds} s; send a shorter ${field === 'html' ? 'page' : 'text'}`, field);
  }
}
