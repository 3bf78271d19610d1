import { normalizeIp, ThrottlerStorageService } from '@nestjs/throttler';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../common/error-body';
import type { ApiKeys } from './api-keys';
import { bearerKey } from './auth.guard';

export interface RateLimits {
  /** Requests per minute per key, or per address for requests without a known key; 0: off. */
  perMinute: number;
  /** Failed authentications (401, 403) per minute per address; over it the address is refused for a minute; 0: off. */
  authFailuresPerMinute: number;
}

const MINUTE = 60_000;
const REQUESTS = 'requests';
const FAILURES = 'auth-failures';

const isHealth = (url: string): boolean => url === '/health' || url.startsWith('/health?');

/**
 * `RATE_LIMIT` as docs/api.md words it: one budget per key (per address without a known key) across every route, the
 * page, the docs and unknown paths alike; `/health` is never limited, so probes behind a proxy keep working. A Fastify
 * hook rather than a Nest guard, because guards run only on Nest routes and after authentication, which left failed
 * guesses and static files uncounted. Counters live in this process (the throttler's in-memory storage).
 */
export function installRateLimit(fastify: FastifyInstance, keys: ApiKeys, limits: RateLimits): void {
  if (limits.perMinute === 0) return;
  const storage = new ThrottlerStorageService();
  fastify.addHook('onClose', (_instance, done) => {
    storage.onApplicationShutdown();
    done();
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (isHealth(request.url)) return;
    const address = `ip:${normalizeIp(request.ip)}`;
    const blockedFor = failureBlockSeconds(storage, `failures-${address}`);
    if (blockedFor > 0) return refuse(reply, blockedFor, 'too many failed authentications from this address');
    const key = bearerKey(request.headers.authorization);
    const principal = key === null ? null : keys.identify(key);
    const tracker = principal ? `key:${principal.keyId}` : address;
    const { isBlocked, timeToBlockExpire } = await storage.increment(tracker, MINUTE, limits.perMinute, 0, REQUESTS);
    if (isBlocked) return refuse(reply, timeToBlockExpire, `over the rate limit of ${limits.perMinute} requests per minute`);
  });
  if (limits.authFailuresPerMinute === 0) return;
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    if (reply.statusCode !== 401 && reply.statusCode !== 403) return;
    await storage.increment(`failures-ip:${normalizeIp(request.ip)}`, MINUTE, limits.authFailuresPerMinute - 1, MINUTE, FAILURES);
  });
}

/** Seconds until an address that used up its failure budget may try again; 0 if it may now. */
function failureBlockSeconds(storage: ThrottlerStorageService, tracker: string): number {
  const record = storage.storage.get(tracker);
  if (!record?.isBlocked) return 0;
  return Math.max(0, Math.ceil((record.blockExpiresAt - Date.now()) / 1000));
}

function refuse(reply: FastifyReply, retryAfterSeconds: number, why: string): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(Math.max(1, retryAfterSeconds)))
    .send(errorBody(429, `${why}; retry in ${Math.max(1, retryAfterSeconds)} s`));
}
