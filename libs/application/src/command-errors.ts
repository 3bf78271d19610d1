import { DomainError } from '@positions/domain';

/** The client's `If-Match` no longer holds: someone else wrote to the stream first. */
export class PreconditionFailed extends DomainError {
  readonly code = 'STREAM.PRECONDITION_FAILED';
  readonly kind = 'precondition-failed';
  constructor(streamId: string, expected: number, actual: number) {
    super(`If-Match ${expected} no longer holds: stream ${streamId} is at position ${actual}`, 'If-Match');
  }
}

/** An `Idempotency-Key` sent again with another request than the one it first named. */
export class IdempotencyKeyReused extends DomainError {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  readonly kind = 'already-exists';
  constructor() {
    super('this Idempotency-Key was already used with another request', 'Idempotency-Key');
  }
}
