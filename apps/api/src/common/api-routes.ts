import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Role } from '../auth/api-keys';
import { RequiresRole } from '../auth/auth.guard';
import { ApiErrors } from './api-errors';

interface RouteDoc {
  summary: string;
  description?: string;
  /** The answer's type; `[Type]` for a list. */
  answer: Type | [Type];
  /** Refusals particular to this route, besides those every route of its kind has. */
  errors?: number[];
}

interface CommandDoc extends RouteDoc {
  /** 201 unless said otherwise. */
  status?: 201 | 202;
  /** Whether the route takes `Idempotency-Key` (every command that records events does). */
  idempotent?: boolean;
  /** Headers of the answer, by name. */
  headers?: Record<string, { description: string }>;
}

/**
 * A route that writes: the role it needs, and in OpenAPI its key, its answer and every refusal a
 * command can meet (shape, key, role, body size and media type, rate limit, the store).
 */
export const CommandRoute = (role: Role, { summary, description, answer, errors = [], status = 201, idempotent = true, headers }: CommandDoc) =>
  applyDecorators(
    RequiresRole(role),
    ...(status === 201 ? [] : [HttpCode(status)]),
    ApiBearerAuth(),
    ApiOperation({ summary, description }),
    ...(idempotent ? [ApiHeader({ name: 'Idempotency-Key', required: false, description: IDEMPOTENCY_KEY })] : []),
    ApiResponse({ status, type: answer, headers }),
    ApiErrors(400, 401, 403, ...(idempotent ? [409] : []), 413, 415, 429, ...errors),
  );

/**
 * A route that reads: its answer and its refusals. Any known key may read (`reader` is the
 * lowest role), so a read is refused for a missing or unknown key (401), never for a role.
 */
export const QueryRoute = ({ summary, description, answer, errors = [] }: RouteDoc) =>
  applyDecorators(ApiOperation({ summary, description }), ApiResponse({ status: 200, type: answer }), ApiErrors(400, 401, 429, ...errors));

const IDEMPOTENCY_KEY =
  '1 to 128 printable characters naming this command across the service: sent again with the same request, ' +
  'the first answer is repeated and nothing is written; with another request, 409';
