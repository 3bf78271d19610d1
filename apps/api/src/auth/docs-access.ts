import type { FastifyInstance } from 'fastify';
import { errorBody } from '../common/error-body';
import type { ReadAccess } from '../config';
import type { ApiKeys } from './api-keys';
import { bearerKey } from './auth.guard';

const isDocs = (url: string): boolean => url === '/docs' || /^\/docs[/?]/.test(url);

/**
 * With `READ_ACCESS=key`, the API documentation (`/docs`, `/docs/json` and the UI's files, which embed the document)
 * needs a key like every other read: they are plain Fastify routes, which the Nest guard never sees. The web page's
 * own files stay public; the page asks for a key before it shows any data, and the data needs one.
 */
export function guardDocs(fastify: FastifyInstance, keys: ApiKeys, readAccess: ReadAccess): void {
  if (readAccess === 'public') return;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isDocs(request.url)) return;
    const key = bearerKey(request.headers.authorization);
    if (key !== null && keys.identify(key)) return;
    const message = key === null ? 'the documentation needs an API key: send Authorization: Bearer <key>' : 'unknown API key (expected Authorization: Bearer <key>)';
    return reply.code(401).send(errorBody(401, message));
  });
}
