import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/** Aborts when `response` closes before it was sent whole: the client went away first. */
export function goneBeforeAnswered(response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}

/**
 * A signal that aborts when the client goes away before its answer is sent (its connection
 * closed first). Work queued for the request (a statement search waiting for the search thread)
 * is then dropped instead of run for no one.
 */
export const ClientGone = createParamDecorator((_: unknown, ctx: ExecutionContext): AbortSignal => goneBeforeAnswered(ctx.switchToHttp().getResponse<FastifyReply>().raw));
