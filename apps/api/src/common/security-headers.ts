import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers on every answer, from one middleware built at start-up. The Fastify plugin
 * (@fastify/helmet) builds Helmet's middleware anew for each request (parsing the whole
 * content security policy each time), a few percent of the CPU of a recorded statement;
 * the service uses none of its per-route options or nonces.
 */
export function installSecurityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const middleware = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    middleware(request.raw, reply.raw, (error?: unknown) => (error ? done(error as Error) : done()));
  });
}
