import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { goneBeforeAnswered } from './client-gone';

describe('goneBeforeAnswered: a request whose client went away', () => {
  let server: Server;
  let signals: Promise<AbortSignal>;
  let answer: (response: ServerResponse) => void;

  beforeEach(async () => {
    let taken: (signal: AbortSignal) => void = () => undefined;
    signals = new Promise((resolve) => (taken = resolve));
    server = createServer((_req, res) => {
      const signal = goneBeforeAnswered(res);
      res.once('close', () => taken(signal));
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Asks, and gives up once the server has the request when `abandon`; resolves when the exchange is over. */
  const ask = (abandon: boolean) =>
    new Promise<void>((resolve) => {
      const { port } = server.address() as AddressInfo;
      const req = request({ host: '127.0.0.1', port, path: '/api/statements?q=a*' }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      // The answer never comes (the search still waits) until the client gives up.
      if (abandon) answer = () => req.destroy();
      req.end();
    });

  it('given a client that closes its connection before the answer, then the signal aborts', async () => {
    await ask(true);
    expect((await signals).aborted).toBe(true);
  });

  it('given a client that reads its answer, then the signal never aborts', async () => {
    answer = (res) => res.end('{}');
    await ask(false);
    expect((await signals).aborted).toBe(false);
  });
});
