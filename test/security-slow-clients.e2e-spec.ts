import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { MAX_CONNECTIONS } from '../apps/api/src/app';
import { startService, type TestService } from './support/app-harness';

/** Opens a connection, writes `text`, and resolves with what the server answered once it closed the connection. */
function stall(port: number, text: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  const closed = new Promise<string>((done) => socket.on('close', () => done(answer)));
  socket.on('error', () => undefined);
  socket.write(text);
  return { socket, closed };
}

describe('slow clients: a request that stalls is closed', () => {
  let service: TestService;
  let port: number;

  beforeAll(async () => {
    service = await startService({ env: { REQUEST_TIMEOUT: '2' } });
    await service.app.listen(0, '127.0.0.1');
    port = (service.app.getHttpServer().address() as AddressInfo).port;
  }, 60_000);
  afterAll(() => service.close());

  it('closes a connection that sent the headers and one byte of the body, with 408', async () => {
    const { closed } = stall(port, 'POST /api/actors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{');
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  }, 90_000);

  it('closes a connection whose headers never end', async () => {
    const { closed } = stall(port, 'GET /api/actors HTTP/1.1\r\nHost: x\r\n');
    await closed;
  }, 90_000);

  it('caps the number of open connections', () => {
    expect(service.app.getHttpServer().maxConnections).toBe(MAX_CONNECTIONS);
  });
});
