import { DomainError } from './errors';

export class ActorNotFound extends DomainError {
  readonly code = 'ACTOR.NOT_FOUND';
  readonly kind = 'not-found';
  constructor(actorId: string, field?: string) {
    super(`no actor is registered as '${actorId}'`, field);
  }
}

export class ActorAlreadyRegistered extends DomainError {
  readonly code = 'ACTOR.ALREADY_REGISTERED';
  readonly kind = 'already-exists';
  constructor(actorId: string) {
    super(`an actor is already registered as '${actorId}'`, 'id');
  }
}

export class OrganizationIsAPerson extends DomainError {
  readonly code = 'ACTOR.ORGANIZATION_IS_A_PERSON';
  readonly kind = 'rule-broken';
  constructor(organizationId: string) {
    super(`'${organizationId}' is a person; an affiliation is with a government or an organization`, 'organizationId');
  }
}

export class AffiliationEndsBeforeItBegins extends DomainError {
  readonly code = 'ACTOR.AFFILIATION_ENDS_BEFORE_IT_BEGINS';
  readonly kind = 'rule-broken';
  constructor(from: string, until: string) {
    super(`an affiliation cannot end (${until}) before it begins (${from})`, 'until');
  }
}

export class AffiliationOverlaps extends DomainError {
  readonly code = 'ACTOR.AFFILIATION_OVERLAPS';
  readonly kind = 'rule-broken';
  constructor(organizationId: string, role: string) {
    super(`the actor already holds the role '${role}' in '${organizationId}' during part of that interval`, 'from');
  }
}

export class NoOpenAffiliation extends DomainError {
  readonly code = 'ACTOR.NO_OPEN_AFFILIATION';
  readonly kind = 'rule-broken';
  constructor(organizationId: string, role: string) {
    super(`the actor holds no open-ended role '${role}' in '${organizationId}' to end`, 'role');
  }
}

export class SelfAffiliation extends DomainError {
  readonly code = 'ACTOR.SELF_AFFILIATION';
  readonly kind = 'rule-broken';
  constructor() {
    super('an actor cannot be affiliated with itself', 'organizationId');
  }
}
