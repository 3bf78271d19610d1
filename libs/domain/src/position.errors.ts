import { DomainError } from './errors';

export class StanceNotInCodebook extends DomainError {
  readonly code = 'POSITION.STANCE_NOT_IN_CODEBOOK';
  readonly kind = 'rule-broken';
  constructor(stance: string, topicId: string, field = 'stance') {
    super(`'${stance}' is not a stance in the codebook of '${topicId}'`, field);
  }
}

export class StatedInTheFuture extends DomainError {
  readonly code = 'POSITION.STATED_IN_THE_FUTURE';
  readonly kind = 'rule-broken';
  constructor(statedOn: string, recordedAt: string, field = 'statedOn') {
    super(`statedOn ${statedOn} is later than the moment of recording (${recordedAt})`, field);
  }
}

export class NoAffiliationOnDate extends DomainError {
  readonly code = 'POSITION.NO_AFFILIATION_ON_DATE';
  readonly kind = 'rule-broken';
  constructor(actorId: string, organizationId: string, statedOn: string, field = 'onBehalfOf') {
    super(`'${actorId}' has no affiliation with '${organizationId}' on ${statedOn}`, field);
  }
}

export class StatementNotFound extends DomainError {
  readonly code = 'POSITION.STATEMENT_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(statementId: string) {
    super(`no statement is recorded as '${statementId}'`, 'statementId');
  }
}

export class StatementAlreadyRetracted extends DomainError {
  readonly code = 'POSITION.STATEMENT_RETRACTED';
  readonly kind = 'rule-broken';
  constructor(statementId: string) {
    super(`statement '${statementId}' was retracted; it can be neither corrected nor retracted again`, 'statementId');
  }
}

export class EmptyCorrection extends DomainError {
  readonly code = 'POSITION.EMPTY_CORRECTION';
  readonly kind = 'rule-broken';
  constructor() {
    super('a correction must change at least one field', 'changes');
  }
}

export class StatementIdTaken extends DomainError {
  readonly code = 'POSITION.STATEMENT_ID_TAKEN';
  readonly kind = 'already-exists';
  constructor(statementId: string) {
    super(`a statement is already recorded as '${statementId}'`, 'statementId');
  }
}
