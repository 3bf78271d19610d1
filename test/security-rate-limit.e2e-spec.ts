import { KEYS, startService, type TestService } from './support/app-harness';
import { expectError } from './support/world';

const guess = (i: number) => ({ authorization: `Bearer guessed-key-number-${i}` });

/** A request from a given client address (Fastify inject's remote address). */
async function from(service: TestService, address: string, url: string, headers: Record<string, string> = {}) {
  const response = await service.app.inject({ method: 'GET', url, remoteAddress: address, headers });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

describe('rate limit: one budget per key across every route', () => {
  let service: TestService;

  beforeAll(async () => (service = await startService({ env: { RATE_LIMIT: '5' } })));
  afterAll(() => service.close());

  it('counts requests to different routes against the same key, then answers 429 with Retry-After', async () => {
    for (const url of ['/api/actors', '/api/topics', '/api/events', '/api/projections', '/api/actors']) {
      expect((await service.get(url, 'reader')).status).toBe(200);
    }
    const over = await service.get('/api/topics', 'reader');
    expectError(over, 429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keeps other keys and addresses on their own budgets', async () => {
    expect((await service.get('/api/topics', 'recorder')).status).toBe(200);
    expect((await from(service, '10.0.0.7', '/api/topics')).status).toBe(200);
  });

  it('never limits /health', async () => {
    for (let i = 0; i < 10; i++) expect((await from(service, '10.0.0.8', '/health')).status).toBe(200);
    expect((await from(service, '10.0.0.8', '/api/actors')).status).toBe(200);
  });
});

describe('rate limit: the docs, the page and unknown paths count too', () => {
  let service: TestService;

  beforeAll(async () => (service = await startService({ env: { RATE_LIMIT: '3' } })));
  afterAll(() => service.close());

  it.each([['/docs/json'], ['/docs'], ['/'], ['/no-such-path']])('answers 429 to the request to %s over the budget of an address', async (url) => {
    const address = `10.0.1.${url.length}`;
    for (let i = 0; i < 3; i++) expect((await from(service, address, url)).status).not.toBe(429);
    expect((await from(service, address, url)).status).toBe(429);
  });
});

describe('rate limit: failed authentication', () => {
  let service: TestService;

  beforeAll(async () => (service = await startService({ env: { RATE_LIMIT: '1000', AUTH_FAILURE_LIMIT: '3' } })));
  afterAll(() => service.close());

  it('stops guessing keys from one address after AUTH_FAILURE_LIMIT failures a minute', async () => {
    for (let i = 0; i < 3; i++) expect((await from(service, '10.0.2.1', '/api/actors', guess(i))).status).toBe(401);
    const over = await from(service, '10.0.2.1', '/api/actors', guess(3));
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Even a right key is refused from there: a different answer would tell a good guess from a bad one.
    expect((await from(service, '10.0.2.1', '/api/actors', { authorization: `Bearer ${KEYS.reader}` })).status).toBe(429);
  });

  it('counts 403s (a key with too low a role) as failures too', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await service.app.inject({ method: 'POST', url: '/api/actors', remoteAddress: '10.0.2.2', headers: { authorization: `Bearer ${KEYS.reader}` }, payload: {} });
      expect(answer.statusCode).toBe(403);
    }
    expect((await from(service, '10.0.2.2', '/api/actors')).status).toBe(429);
  });

  it('leaves other addresses alone', async () => {
    expect((await from(service, '10.0.2.3', '/api/actors')).status).toBe(200);
  });
});

describe('rate limit: failed authentication uses up the address budget', () => {
  let service: TestService;

  beforeAll(async () => (service = await startService({ env: { RATE_LIMIT: '4', AUTH_FAILURE_LIMIT: '100' } })));
  afterAll(() => service.close());

  it('counts requests with an unknown key against their address', async () => {
    for (let i = 0; i < 4; i++) expect((await from(service, '10.0.3.1', '/api/actors', guess(i))).status).toBe(401);
    expect((await from(service, '10.0.3.1', '/api/actors')).status).toBe(429);
  });
});

describe('rate limit: TRUST_PROXY', () => {
  let direct: TestService;
  let proxied: TestService;

  beforeAll(async () => {
    direct = await startService({ env: { RATE_LIMIT: '2' } });
    proxied = await startService({ env: { RATE_LIMIT: '2', TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('by default ignores X-Forwarded-For: a client cannot pick its own address', async () => {
    for (let i = 0; i < 2; i++) expect((await from(direct, '10.0.4.1', '/api/actors', { 'x-forwarded-for': `192.0.2.${i}` })).status).toBe(200);
    expect((await from(direct, '10.0.4.1', '/api/actors', { 'x-forwarded-for': '192.0.2.99' })).status).toBe(429);
  });

  it('with TRUST_PROXY=true counts per forwarded client address', async () => {
    for (let i = 0; i < 2; i++) expect((await from(proxied, '10.0.4.1', '/api/actors', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(200);
    expect((await from(proxied, '10.0.4.1', '/api/actors', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(429);
    expect((await from(proxied, '10.0.4.1', '/api/actors', { 'x-forwarded-for': '192.0.2.2' })).status).toBe(200);
  });
});
