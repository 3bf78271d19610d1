import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@positions/domain';
import { AppendOutcomeUnknownError, IdempotencyKeyTaken, InvalidPositionError, StoreUnavailableError, WrongExpectedPositionError } from '@positions/event-store';
import { SearchAbandoned } from '@positions/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WriteHealth } from '../health/write-health';
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
@Injectable()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly writes: WriteHealth) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = this.toBody(exception);
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    // Routes have their own body limits (the intake takes whole articles): the refusal names the route's.
    const limit = body.statusCode === 413 ? http.getRequest<FastifyRequest>().routeOptions?.bodyLimit : undefined;
    void reply.status(body.statusCode).send(limit ? errorBody(413, `the request body is larger than ${sizeName(limit)}`) : body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const details = exception.field ? [{ field: exception.field, problem: exception.message }] : [];
      return errorBody(STATUS_OF_KIND[exception.kind], exception.message, details);
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (exception instanceof InvalidPositionError) {
      return errorBody(400, exception.message, [{ field: 'after', problem: 'is not a position of this store' }]);
    }
    if (exception instanceof AppendOutcomeUnknownError) {
      // Not "nothing was written": the events may be in the log. A retry with the same key finds them.
      this.logger.error(`append outcome unknown: ${exception.message}`);
      return errorBody(503, 'the event store did not confirm the write; it may have been recorded: retry with the same Idempotency-Key to get its outcome');
    }
    if (exception instanceof StoreUnavailableError) {
      // The message names files and the store's own words: the log's, not the client's.
      this.logger.error(`store unavailable: ${exception.message}`);
      const reason = exception.reason ?? 'the store cannot be reached';
      this.writes.failed(reason);
      return errorBody(503, `the event store is unavailable; nothing was written: ${reason}`);
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
    // Nobody reads this answer: the client closed its connection before its search ran (an access log's 499).
    if (exception instanceof SearchAbandoned) return errorBody(499, 'the client closed the request before its search ran');
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

/** 65536 → "64 KiB", 1048576 → "1 MiB". */
function sizeName(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
