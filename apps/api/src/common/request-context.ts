import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '@positions/application';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { type Principal, recordedBy } from '../auth/api-keys';

/**
 * The command context of a request: who sent it (from the auth guard) and the request id
 * (Fastify's, taken from `X-Request-Id` when the client sends one), which becomes the
 * events' correlation id.
 */
export const CommandCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
  if (!request.principal) throw new Error('a command route must require a role');
  return { recordedBy: recordedBy(request.principal), correlationId: String(request.id), causationId: randomUUID() };
});
