import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly deliveries: Delivery[];
  /** Statuses to answer, in order; once used up, 200. */
  answers: number[];
  /** Delays each answer (a slow receiver). */
  delayMs: number;
  /** Resolves once `count` requests were answered 2xx (fails after `timeoutMs`). */
  waitForDelivered(count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1, as a webhook's owner would run one. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const receiver = { answers: [] as number[], delayMs: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = receiver.answers.shift() ?? 200;
      setTimeout(() => {
        deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        response.writeHead(status).end();
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const delivered = () => deliveries.filter((d) => d.status < 300);
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    async waitForDelivered(count: number, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (delivered().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${delivered().length}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return delivered();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
