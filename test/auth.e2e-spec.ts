import { actorBody, affiliationBody, sanctionsReliefBody, statementBody } from '@positions/testing';
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, ON_SQLITE, startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, ok, seedWorld, TOPIC } from './support/world';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Every command route of today, with a body it accepts. */
const COMMANDS: [string, unknown][] = [
  ['/api/actors', actorBody('putin')],
  ['/api/actors/marco-rubio/affiliations', affiliationBody('rubio', { role: 'Envoy' })],
  ['/api/actors/marco-rubio/affiliations/end', { organizationId: 'us-government', role: 'Secretary of State', until: '2029-01-20' }],
  ['/api/topics', sanctionsReliefBody({ id: 'other-topic' })],
  [`/api/topics/${TOPIC}/stances`, { code: 'freeze', label: 'Freeze', score: 0 }],
  ['/api/statements', statementBody()],
];

describe('auth: API keys and roles (READ_ACCESS=public)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
    await seedWorld(service);
  });
  afterAll(() => service.close());

  describe.each(COMMANDS.map(([url, body]) => [url, body] as const))('POST %s', (url, body) => {
    it.each([
      ['no key', {}],
      ['an unknown key', bearer('not-a-known-key')],
      ['a key without the Bearer scheme', { authorization: KEYS.recorder }],
      ['another scheme', { authorization: `Basic ${Buffer.from(`x:${KEYS.recorder}`).toString('base64')}` }],
      ['Bearer with no key', { authorization: 'Bearer ' }],
      ['Bearer with two words', { authorization: `Bearer ${KEYS.recorder} extra` }],
    ])('answers 401 to %s, writing nothing', async (_, headers) => {
      await expectNothingWritten(service, async () => expectError(await service.post(url, body, null, headers), 401), [['marco-rubio', TOPIC]]);
    });

    it('answers 403 to a reader key, writing nothing', async () => {
      await expectNothingWritten(service, async () => expectError(await service.post(url, body, 'reader'), 403), [['marco-rubio', TOPIC]]);
    });
  });

  it('lets a recorder run every current command, in order', async () => {
    for (const [url, body] of COMMANDS) await ok(service.post(url, body, 'recorder'));
  });

  it('lets higher roles (editor, admin) record too: roles include those before them', async () => {
    await ok(service.post('/api/actors', { id: 'by-editor', name: 'By editor', kind: 'person' }, 'editor'));
    await ok(service.post('/api/actors', { id: 'by-admin', name: 'By admin', kind: 'person' }, 'admin'));
  });

  it('answers GETs without a key', async () => {
    expect((await service.get('/api/actors', null)).status).toBe(200);
    expect((await service.get(`/api/topics/${TOPIC}`, null)).status).toBe(200);
    expect((await service.get(`/api/actors/marco-rubio/positions/${TOPIC}`, null)).status).toBe(200);
  });
});

describe('auth: READ_ACCESS=key', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService({ env: { READ_ACCESS: 'key' } });
    await seedWorld(service);
  });
  afterAll(() => service.close());

  it.each([['/api/actors'], ['/api/actors/marco-rubio'], ['/api/topics'], [`/api/topics/${TOPIC}`], [`/api/actors/marco-rubio/positions/${TOPIC}`]])(
    'GET %s needs a reader key: 401 without one or with an unknown one, 200 with one',
    async (url) => {
      expectError(await service.get(url, null), 401);
      expectError(await service.get(url, null, bearer('not-a-known-key')), 401);
      expect((await service.get(url, 'reader')).status).toBe(200);
      expect((await service.get(url, 'admin')).status).toBe(200);
    },
  );

  it('keeps /health open', async () => {
    const health = await service.get('/health', null);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', store: 'sqlite' });
  });
});

// Reads the embedded store's file: on KurrentDB, /api/statements/{id}/history shows recordedBy instead (audit suites).
(ON_SQLITE ? describe : describe.skip)('auth: recordedBy is "{role}:{keyId}" and never the key (embedded store file)', () => {
  let service: TestService;
  let rows: { recorded_by: string }[];
  let dataDir: string;

  beforeAll(async () => {
    service = await startService();
    dataDir = service.dataDir;
    await ok(service.post('/api/actors', actorBody('usGovernment'), 'recorder'));
    await ok(service.post('/api/actors', actorBody('rubio'), 'admin'));
    await ok(service.post('/api/topics', sanctionsReliefBody(), 'recorder'));
    await ok(service.post('/api/statements', statementBody(), 'editor'));
    await service.stop();
    // A restart with the same keys keeps the same keyIds.
    service = await startService({ dataDir });
    await ok(service.post('/api/statements', statementBody({ statedOn: '2025-02-20' }), 'recorder'));
    await service.stop();
    const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
    rows = db.prepare('SELECT recorded_by FROM events ORDER BY position').all() as { recorded_by: string }[];
    db.close();
  });
  afterAll(() => service.close());

  it('records the role and a stable keyId that differs per key', () => {
    const by = rows.map((r) => r.recorded_by);
    expect(by).toHaveLength(5);
    for (const value of by) expect(value).toMatch(/^(reader|recorder|editor|admin):[A-Za-z0-9_-]{6,}$/);
    expect(by.map((v) => v.split(':')[0])).toEqual(['recorder', 'admin', 'recorder', 'editor', 'recorder']);
    expect(by[4]).toBe(by[0]);
    expect(by[2]).toBe(by[0]);
    expect(new Set(by.map((v) => v.split(':')[1])).size).toBe(3);
  });

  it('keeps no key string anywhere in the data folder', () => {
    const files = readdirSync(dataDir);
    expect(files).toContain('events.db');
    for (const file of files) {
      const content = readFileSync(join(dataDir, file));
      for (const key of Object.values(KEYS)) expect({ file, hasKey: content.includes(key) }).toEqual({ file, hasKey: false });
    }
  });
});

describe('auth: without API_KEYS, a generated admin key in DATA_DIR/admin.key', () => {
  let service: TestService;
  let dataDir: string;

  afterAll(async () => {
    await service?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates admin.key with mode 0600 on the first start, and that key works as admin', async () => {
    service = await startService({ unsetEnv: ['API_KEYS'] });
    dataDir = service.dataDir;
    const file = join(dataDir, 'admin.key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8').trim();
    expect(key.length).toBeGreaterThanOrEqual(16);
    expect(Object.values(KEYS)).not.toContain(key);
    await ok(service.post('/api/actors', actorBody('usGovernment'), null, bearer(key)));
    expectError(await service.post('/api/actors', actorBody('rubio'), 'admin'), 401);
    expectError(await service.post('/api/actors', actorBody('rubio'), null), 401);
  });

  it('reuses the same key on a second start', async () => {
    const file = join(dataDir, 'admin.key');
    const key = readFileSync(file, 'utf8').trim();
    await service.stop();
    service = await startService({ dataDir, unsetEnv: ['API_KEYS'] });
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await ok(service.post('/api/actors', actorBody('rubio'), null, bearer(key)));
    expect((await service.get('/api/actors', null)).body.map((a: { id: string }) => a.id)).toEqual(['marco-rubio', 'us-government']);
  });
});
