import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

class FieldProblemResponse {
  @ApiProperty({ example: 'statedOn' }) field!: string;
  @ApiProperty({ example: 'must be a date (YYYY-MM-DD) or a date-time with seconds and an offset' }) problem!: string;
}

/** The error shape of every refusal. */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'invalid request: statedOn: must be a date (YYYY-MM-DD) or a date-time with seconds and an offset' })
  message!: string;
  @ApiProperty({ type: [FieldProblemResponse] }) details!: FieldProblemResponse[];
}

const WHEN: Record<number, string> = {
  400: 'Malformed request: JSON, unknown or missing field, wrong type, malformed id, date or URL, length out of bounds',
  401: 'No API key, or an unknown one',
  403: 'The key has too low a role',
  404: 'An id names no registered actor, topic or statement',
  409: 'The id is already taken',
  412: 'If-Match no longer holds',
  422: 'Well-formed and naming real things, but breaking a domain rule',
};

/** Documents the refusals a route can answer with, all in the one error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: WHEN[status] ?? STATUS_CODES[status], type: ErrorResponse })),
    ApiResponse({ status: 503, description: 'The store is unavailable; nothing was written', type: ErrorResponse }),
  );
