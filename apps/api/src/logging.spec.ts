import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp, { type Options } from 'pino-http';
import { loggerParams } from './logging';

/** Serves one request through the access log configured as in the service, answering the lines it wrote. */
async function logLinesOf(headers: Record<string, string>): Promise<Record<string, any>[]> {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
  const log = pinoHttp(loggerParams('info', false).pinoHttp as Options, sink);
  const server: Server = createServer((req, res) => log(req, res, () => res.writeHead(201).end('{}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/api/statements?x=1', headers }, (res) => res.resume().on('end', resolve));
    req.on('error', reject).end('{}');
  });
  await new Promise((resolve) => server.close(resolve));
  return lines.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
}

describe('the access log', () => {
  it('writes one line per request with its id, method, URL and status, and none of its secrets', async () => {
    const secrets = {
      authorization: 'Bearer AUTHSECRET-value-1',
      'proxy-authorization': 'Basic UFJPWFlTRUNSRVQ=',
      'x-api-key': 'XAPIKEYSECRET-value',
      'x-auth-token': 'XAUTHTOKENSECRET',
      cookie: 'sid=COOKIESECRET-value',
      'idempotency-key': 'IDEMSECRET-value',
    };
    const lines = await logLinesOf({ ...secrets, 'x-request-id': 'req-42', 'user-agent': 'probe/1.0' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ req: { id: 'req-42', method: 'POST', url: '/api/statements?x=1', remoteAddress: '127.0.0.1', userAgent: 'probe/1.0' }, res: { statusCode: 201 } });
    const text = JSON.stringify(lines);
    for (const secret of ['AUTHSECRET', 'UFJPWFlTRUNSRVQ', 'XAPIKEYSECRET', 'XAUTHTOKENSECRET', 'COOKIESECRET', 'IDEMSECRET']) expect({ secret, logged: text.includes(secret) }).toEqual({ secret, logged: false });
  });
});
