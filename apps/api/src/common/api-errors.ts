import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

class FieldProblemResponse {
  @ApiProperty({ example: 'statedOn' }) field!: string;
  @ApiProperty({ example: 'must be a date (YYYY-MM-DD) or a date-time with seconds and an offset' }) problem!: string;
}

/** The error shape of every refusal (docs/api.md, "Errors"). */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'invalid request: statedOn: must be a date (YYYY-MM-DD) or a date-time with seconds and an offset' })
  message!: string;
  @ApiProperty({ type: [FieldProblemResponse] }) details!: FieldProblemResponse[];
}

const WHEN: Record<number, string> = {
  400: 'Malformed request: JSON, unknown or missing field or query parameter, wrong type, malformed id, date or URL, length out of bounds',
  401: 'No API key where one is needed, or an unknown one',
  403: 'The key has too low a role',
  404: 'An id names no registered actor, topic, statement or projection',
  409: 'The id is already taken, or the Idempotency-Key was sent before with another request, or (a rebuild) the view is being built anew by another process',
  412: 'If-Match no longer holds',
  413: 'The body is over 64 KiB',
  415: 'The body is not JSON',
  422: 'Well-formed and naming real things, but breaking a domain rule',
  429: 'Over RATE_LIMIT requests per minute; the Retry-After header says when to try again',
  503: 'The store is unavailable; nothing was written',
};

/** Documents the refusals a route can answer with, all in the one error shape; every route may answer 503. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...[...new Set([...statuses, 503])]
      .sort((a, b) => a - b)
      .map((status) => ApiResponse({ status, description: WHEN[status] ?? STATUS_CODES[status], type: ErrorResponse })),
  );
