import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@positions/domain';
import { IdempotencyKeyTaken, StoreUnavailableError, WrongExpectedPositionError } from '@positions/event-store';
import type { FastifyReply } from 'fastify';
import { type ErrorBody, errorBody } from './error-body';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  'not-found': 404,
  'already-exists': 409,
  'precondition-failed': 412,
  'rule-broken': 422,
};

/** The one place a failure becomes an HTTP answer, always in the one error shape (docs/api.md, "Errors"). */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === 429 && exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: number }).retryAfter;
      if (retryAfter) void reply.header('Retry-After', String(retryAfter));
    }
    void reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const details = exception.field ? [{ field: exception.field, problem: exception.message }] : [];
      return errorBody(STATUS_OF_KIND[exception.kind], exception.message, details);
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (exception instanceof StoreUnavailableError) {
      this.logger.error(`store unavailable: ${exception.message}`);
      return errorBody(503, `the event store is unavailable; nothing was written: ${exception.message}`);
    }
    if (exception instanceof IdempotencyKeyTaken) {
      // Claimed by a request still under way (another instance, or one whose answer was lost).
      return errorBody(409, 'a request with this Idempotency-Key is still being processed; retry in a moment', [
        { field: 'Idempotency-Key', problem: 'in use by a request still being processed' },
      ]);
    }
    if (exception instanceof WrongExpectedPositionError) {
      return errorBody(503, 'too many concurrent writes to the same record; nothing was written, please retry');
    }
    const fastify = fastifyClientError(exception);
    if (fastify) return fastify;
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return errorBody(500, 'internal error');
  }
}

function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'details' in response && 'message' in response) {
    return response as ErrorBody;
  }
  const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
  return errorBody(status, Array.isArray(message) ? message.join('; ') : String(message));
}

/** Fastify's own refusals before a route runs (malformed JSON, body too large, wrong media type). */
function fastifyClientError(exception: unknown): ErrorBody | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { statusCode, code, message } = exception as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500 || typeof code !== 'string' || !code.startsWith('FST_')) {
    return null;
  }
  if (statusCode === 413) return errorBody(413, 'the request body is larger than 64 KiB');
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return errorBody(400, `the body is not valid JSON: ${String(message)}`);
  }
  return errorBody(statusCode, String(message));
}
