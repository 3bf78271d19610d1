import { setTimeout as sleep } from 'node:timers/promises';
import { type ServiceProcess, startProcess } from './support/process-service';

const SECRETS = {
  authorization: 'Bearer AUTHSECRET-value-1',
  'proxy-authorization': 'Basic UFJPWFlTRUNSRVQ=',
  'x-api-key': 'XAPIKEYSECRET-value',
  cookie: 'sid=COOKIESECRET-value',
  'idempotency-key': 'IDEMSECRET-value',
};

describe('logs: no secrets from headers, no line per /health probe', () => {
  let service: ServiceProcess;

  beforeAll(async () => (service = await startProcess({ env: { LOG_LEVEL: 'info' } })), 300_000);
  afterAll(() => service?.kill('SIGKILL'));

  it('redacts Authorization, Proxy-Authorization, X-Api-Key, Cookie and Idempotency-Key', async () => {
    await service.post('/api/actors', { id: 'log-probe', name: 'L', kind: 'person' }, null, SECRETS);
    await service.get('/api/actors?marker=after-secrets', null);
    for (let i = 0; i < 100 && !service.output().includes('after-secrets'); i++) await sleep(50);
    const log = service.output();
    expect(log).toContain('after-secrets');
    for (const secret of ['AUTHSECRET', 'UFJPWFlTRUNSRVQ', 'XAPIKEYSECRET', 'COOKIESECRET', 'IDEMSECRET']) expect({ secret, logged: log.includes(secret) }).toEqual({ secret, logged: false });
  });

  it('logs no line for /health', async () => {
    await service.get('/health?marker=health-probe', null);
    await service.get('/api/topics?marker=after-health', null);
    for (let i = 0; i < 100 && !service.output().includes('after-health'); i++) await sleep(50);
    expect(service.output()).not.toContain('health-probe');
  });
});
