import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

const REQUEST_ID = /^[\x21-\x7E]{1,128}$/;

/**
 * A request's id: the client's `X-Request-Id` when it is a sane token, else a UUID. Kept on
 * the raw request so the access log (pino-http) and Fastify's `request.id` (the events'
 * correlation id) are the same value.
 */
export function requestIdOf(req: IncomingMessage): string {
  const carrier = req as unknown as { id?: unknown };
  if (typeof carrier.id === 'string') return carrier.id;
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  carrier.id = id;
  return id;
}

/** Headers that carry credentials (or the client's idempotency keys): never in a log line. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers["x-auth-token"]',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
];

/**
 * Structured logs; keys and idempotency keys never reach a log line. JSON lines for machines
 * (a pipe, a file, a container's log driver); on a terminal, the same lines made readable by
 * pino-pretty, request id included.
 */
export function loggerParams(level: string, pretty = prettyByDefault(level)): Params {
  return {
    // Nest 11's path syntax for "every route" (the library's default '*' is the old one).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      genReqId: (req) => requestIdOf(req),
      redact: { paths: REDACTED, censor: '[redacted]' },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // The middleware sees the url relative to its mount point; `originalUrl` is the one the client sent.
      autoLogging: { ignore: (req) => /^\/health(\?|$)/.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? '') },
      ...(pretty ? { transport: PRETTY } : {}),
    },
  };
}

/**
 * One line per entry: time, level, `[context]` of the application's logs, the message, and for a
 * request its id, method, URL and status; the other fields (responseTime, err, ...) follow.
 */
const PRETTY = {
  target: 'pino-pretty',
  options: {
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res',
    messageFormat: '{if context}[{context}] {end}{msg}{if req.id} [{req.id}] {req.method} {req.url}{end}{if res.statusCode} {res.statusCode}{end}',
  },
};

/** Readable when a person watches the terminal; silent logs need no formatter thread. */
function prettyByDefault(level: string): boolean {
  return Boolean(process.stdout.isTTY) && level !== 'silent';
}
