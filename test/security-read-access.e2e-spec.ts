import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type TestService } from './support/app-harness';
import { expectError } from './support/world';

/** A built page as vite leaves it, with a source map beside its script. */
function fakeWebBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'positions-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>positions</title><script src="/assets/index-abc.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1);\n//# sourceMappingURL=index-abc.js.map\n');
  writeFileSync(join(dir, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["../../apps/web/src/main.ts"]}');
  return dir;
}

describe('READ_ACCESS=key: the documentation needs a key too', () => {
  let service: TestService;
  let web: string;

  beforeAll(async () => {
    web = fakeWebBuild();
    service = await startService({ env: { READ_ACCESS: 'key' }, webAppDir: web });
  });
  afterAll(async () => {
    await service.close();
    rmSync(web, { recursive: true, force: true });
  });

  it.each([['/docs'], ['/docs/json'], ['/docs/swagger-ui-init.js'], ['/docs/package.json'], ['/docs/json?x=1']])('GET %s: 401 without a key or with an unknown one, 200 with a reader key', async (url) => {
    expectError(await service.get(url, null), 401);
    expectError(await service.get(url, null, { authorization: 'Bearer not-a-known-key-at-all' }), 401);
    expect((await service.get(url, 'reader')).status).not.toBe(401);
  });

  it('serves the page itself, which asks for a key before it shows data', async () => {
    expect((await service.get('/', null)).status).toBe(200);
    expect((await service.get('/assets/index-abc.js', null)).status).toBe(200);
  });

  it('never serves a source map', async () => {
    expect((await service.get('/assets/index-abc.js.map', null)).status).toBe(404);
    expect((await service.get('/assets/index-abc.js.map', 'reader')).status).toBe(404);
  });
});

describe('READ_ACCESS=public: the documentation stays open', () => {
  let service: TestService;

  beforeAll(async () => (service = await startService()));
  afterAll(() => service.close());

  it('answers /docs/json without a key', async () => {
    expect((await service.get('/docs/json', null)).status).toBe(200);
  });
});

describe('security headers over plain HTTP and behind TLS', () => {
  const headersOf = async (env: Record<string, string>) => {
    const service = await startService({ env });
    try {
      return (await service.get('/docs', null)).headers;
    } finally {
      await service.close();
    }
  };

  it('sends neither HSTS nor upgrade-insecure-requests by default (plain HTTP)', async () => {
    const headers = await headersOf({});
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(String(headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
    expect(String(headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('sends them on API answers, refusals and unknown paths too', async () => {
    const service = await startService();
    try {
      const answers = [await service.get('/api/actors', null), await service.post('/api/actors', {}, 'recorder'), await service.get('/api/no-such-thing', null)];
      expect(answers.map((a) => a.status)).toEqual([200, 400, 404]);
      for (const { headers } of answers) {
        expect(String(headers['content-security-policy'])).toContain("default-src 'self'");
        expect(headers['x-content-type-options']).toBe('nosniff');
        expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      }
    } finally {
      await service.close();
    }
  });

  it('sends both with BEHIND_TLS=true', async () => {
    const headers = await headersOf({ BEHIND_TLS: 'true' });
    expect(String(headers['strict-transport-security'])).toMatch(/max-age=\d+/);
    expect(String(headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });
});
