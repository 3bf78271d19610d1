import { DomainError } from './errors';

export class TopicNotFound extends DomainError {
  readonly code = 'TOPIC.NOT_FOUND';
  readonly kind = 'not-found';
  constructor(topicId: string, field?: string) {
    super(`no topic is open as '${topicId}'`, field);
  }
}

export class TopicAlreadyOpen extends DomainError {
  readonly code = 'TOPIC.ALREADY_OPEN';
  readonly kind = 'already-exists';
  constructor(topicId: string) {
    super(`a topic is already open as '${topicId}'`, 'id');
  }
}

export class StanceCodeTaken extends DomainError {
  readonly code = 'TOPIC.STANCE_CODE_TAKEN';
  readonly kind = 'already-exists';
  constructor(code: string, field = 'code') {
    super(`the codebook already has a stance '${code}'`, field);
  }
}

export class DuplicateStanceCode extends DomainError {
  readonly code = 'TOPIC.DUPLICATE_STANCE_CODE';
  readonly kind = 'rule-broken';
  constructor(code: string, field: string) {
    super(`the codebook lists the stance '${code}' more than once`, field);
  }
}

export class CodebookSize extends DomainError {
  readonly code = 'TOPIC.CODEBOOK_SIZE';
  readonly kind = 'rule-broken';
  constructor(min: number, max: number, field = 'stances') {
    super(`a codebook has ${min} to ${max} stances`, field);
  }
}
