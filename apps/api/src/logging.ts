import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';

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

/**
 * A request as its log line shows it: id, method, URL, client address and user agent, and no other header, so no
 * credential or idempotency key ever reaches a log line, whatever header carries it. pino-http serializes this for
 * every request, whatever the level (it binds it to the request's logger): the whole headers, redacted, were a few
 * percent of a recorded statement's CPU.
 */
function requestForLog(req: IncomingMessage & { id?: unknown; originalUrl?: string }) {
  return { id: req.id, method: req.method, url: req.originalUrl ?? req.url, remoteAddress: req.socket?.remoteAddress, userAgent: req.headers['user-agent'] };
}

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
      wrapSerializers: false,
      serializers: { req: requestForLog, res: stdSerializers.res, err: stdSerializers.err },
      // The service sets no cookie; should a response ever carry one, it stays out of the line.
      redact: { paths: ['res.headers["set-cookie"]'], censor: '[redacted]' },
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
