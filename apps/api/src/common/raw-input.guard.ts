import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './error-body';

/** Deeper than any request of the API needs; deeper bodies are refused before anything recurses over them. */
export const MAX_DEPTH = 32;

/** Keys that name what every object inherits: a validator never sees them, so they are refused outright. */
const isInheritedName = (key: string) => key === 'prototype' || key === '__proto__' || key in Object.prototype;

/**
 * Looks at a request's raw JSON body and query before Nest does, without recursion: too deep,
 * or a key such as `constructor` or `toString` that validation would silently skip, is a 400.
 * Returns the problem, or null.
 */
export function rawInputProblem(value: unknown, where: 'body' | 'query'): { field: string; problem: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) return { field: path || where, problem: `nested more than ${MAX_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(current)) {
      const field = path ? `${path}.${key}` : key;
      if (isInheritedName(key)) return { field, problem: `property ${key} should not exist` };
      stack.push({ value: child, path: field, depth: depth + 1 });
    }
  }
  return null;
}

/** Commands take no query parameters, and the rebuild takes no body. */
function unexpected(request: FastifyRequest): { field: string; problem: string } | null {
  if (request.method !== 'POST') return null;
  const query = Object.keys((request.query as Record<string, unknown>) ?? {});
  if (query.length > 0) return { field: query[0], problem: 'commands take no query parameters' };
  const body = request.body as Record<string, unknown> | undefined;
  if (request.url.split('?')[0].endsWith('/rebuild') && body && typeof body === 'object' && Object.keys(body).length > 0) {
    return { field: Object.keys(body)[0], problem: 'a rebuild takes no body' };
  }
  return null;
}

/** Registers the checks as a Fastify hook, before route handlers and Nest's pipes run. */
export function guardRawInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const problem = rawInputProblem(request.body, 'body') ?? rawInputProblem(request.query, 'query') ?? unexpected(request);
    if (!problem) return;
    await reply.status(400).send(errorBody(400, `invalid request: ${problem.field}: ${problem.problem}`, [problem]));
    return reply;
  });
}
