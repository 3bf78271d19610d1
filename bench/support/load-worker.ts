/**
 * The load generator, run as its own process so that it does not share a CPU core's event
 * loop with the service it measures. Reads its settings from the file argv[2] (JSON), prints one JSON
 * line with the result, and stops by itself after `duration` seconds.
 */
import autocannon from 'autocannon';
import type { LoadSpec } from './load-spec';

import { readFileSync } from 'node:fs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadSpec;
let seed = 42;
const pick = <T>(xs: readonly T[]): T => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return xs[seed % xs.length];
};

type Request = autocannon.Request;

/**
 * One request of a mixed load, built whole: a GET after a POST on the same connection must not
 * inherit the POST's body or content type (the server would see a malformed request).
 */
function mixed(request: Request, entry: { method: 'GET' | 'POST'; path: string; body?: string }): Request {
  const headers = { ...(request.headers ?? {}) };
  delete headers['content-type'];
  if (entry.body === undefined) return { ...request, method: entry.method, path: entry.path, headers, body: undefined };
  return { ...request, method: entry.method, path: entry.path, headers: { ...headers, 'content-type': 'application/json' }, body: entry.body };
}

/** Answers other than 2xx, and request errors, by kind: what went wrong, not only how often. */
const statuses: Record<string, number> = {};

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    method: spec.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...spec.headers },
    requests: [
      {
        setupRequest: (request) =>
          spec.mix
            ? mixed(request, pick(spec.mix))
            : {
                ...request,
                path: pick(spec.paths),
                ...(spec.bodies ? { body: pick(spec.bodies) } : {}),
              },
      },
    ],
  },
  (error, result) => {
    if (error) throw error;
    process.stdout.write(
      `${JSON.stringify({
        requestsPerSecond: result.requests.average,
        total: result.requests.total,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statuses,
      })}\n`,
    );
  },
);
instance.on('error', (error) => process.stderr.write(`load error: ${String(error)}\n`));
instance.on('reqError', (error) => {
  statuses[`error: ${String(error)}`] = (statuses[`error: ${String(error)}`] ?? 0) + 1;
});
instance.on('response', (_client, statusCode) => {
  if (statusCode >= 300) statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});
