/**
 * How a refusal is classed; the API's one exception filter maps each kind to a status:
 * invalid 400, not-found 404, already-exists 409, precondition-failed 412, rule-broken 422.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'already-exists' | 'precondition-failed' | 'rule-broken';

/** A refused command. `code` is stable (clients may rely on it); the message is for people. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  /** @param field the request field at fault, where there is one (`statedOn`, `source.url`). */
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value that does not have the form the rules require (a malformed id, date or URL). */
export class InvalidValue extends DomainError {
  readonly code = 'INVALID_VALUE';
  readonly kind = 'invalid';
}
