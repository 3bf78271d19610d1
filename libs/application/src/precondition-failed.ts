import { DomainError } from '@positions/domain';

/** The client's `If-Match` no longer holds: someone else wrote to the stream first. */
export class PreconditionFailed extends DomainError {
  readonly code = 'STREAM.PRECONDITION_FAILED';
  readonly kind = 'precondition-failed';
  constructor(streamId: string, expected: number, actual: number) {
    super(`If-Match ${expected} no longer holds: stream ${streamId} is at position ${actual}`, 'If-Match');
  }
}
