import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '@positions/application';
import { canonicalJson } from '@positions/domain';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { type Principal, recordedBy } from '../auth/api-keys';
import { errorBody } from './error-body';

type CommandRequest = FastifyRequest & { principal?: Principal };

/**
 * The command context of a request: who sent it (from the auth guard), the request id
 * (Fastify's, taken from `X-Request-Id` when the client sends one), which becomes the
 * events' correlation id, and the `Idempotency-Key` with a digest of what it names.
 */
export const CommandCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const request = ctx.switchToHttp().getRequest<CommandRequest>();
  if (!request.principal) throw new Error('a command route must require a role');
  const idempotency = idempotencyOf(request, request.principal);
  return { recordedBy: recordedBy(request.principal), correlationId: String(request.id), causationId: randomUUID(), ...(idempotency && { idempotency }) };
});

const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,128}$/;

/**
 * The digest covers who sent the request (`recordedBy`) as well as what it asks: a key is bound to the principal that
 * first used it, so another key reusing it is 409 (never a replay of someone else's answer), and the first one's
 * retries still replay.
 */
function idempotencyOf(request: CommandRequest, principal: Principal): CommandContext['idempotency'] {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    const problem = 'must be 1 to 128 printable characters';
    throw new BadRequestException(errorBody(400, `Idempotency-Key ${problem}`, [{ field: 'Idempotency-Key', problem }]));
  }
  const path = request.url.split('?')[0];
  const requestHash = createHash('sha256').update(`${recordedBy(principal)}\n${request.method} ${path}\n${canonicalJson(request.body)}`).digest('hex');
  return { key, requestHash };
}
