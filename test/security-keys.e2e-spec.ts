import { actorBody } from '@positions/testing';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KEYS, ON_KURRENTDB, startService } from './support/app-harness';
import { buildApi } from './support/process-service';
import { ok } from './support/world';

const fresh = () => mkdtempSync(join(tmpdir(), 'positions-keys-'));

/** Runs `code` in a node process of its own, with `apiKeys` the compiled apps/api/src/auth/api-keys module. */
function inProcess(main: string, code: string, arg: string): Promise<string> {
  const module = join(dirname(main), 'auth', 'api-keys.js');
  const script = `const apiKeys = require(${JSON.stringify(module)}); const arg = process.argv[1]; try { ${code} } catch (e) { console.log('failed ' + (e.code ?? e.message)); }`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', script, arg], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', () => done(out.trim()));
  });
}

describe('API_KEYS hygiene: refused at start', () => {
  it.each([
    ['a key shorter than 16 characters', 'admin:fifteen-chars-x', /shorter than 16 characters/],
    ['the same key twice', `admin:${KEYS.admin},reader:${KEYS.admin}`, /same key twice/],
    ['a key with a space', 'admin:a key with spaces in it', /space/],
  ])('%s', async (_, apiKeys, message) => {
    const dataDir = fresh();
    try {
      await expect(startService({ dataDir, env: { API_KEYS: apiKeys } })).rejects.toThrow(message);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('admin.key: created once, whoever starts first; a bad file is refused', () => {
  let main: string;

  beforeAll(async () => (main = await buildApi()), 300_000);

  it('gives every one of two processes starting at once on an empty folder the same, whole key (20 times)', async () => {
    const root = fresh();
    try {
      for (let i = 0; i < 20; i++) {
        const dir = join(root, `d${i}`);
        const code = "const { key, created } = apiKeys.adminKeyFile(arg); console.log(created + ' ' + key);";
        const answers = await Promise.all([inProcess(main, code, dir), inProcess(main, code, dir)]);
        const key = readFileSync(join(dir, 'admin.key'), 'utf8').trim();
        expect(key.length).toBeGreaterThanOrEqual(24);
        expect(answers.sort()).toEqual([`false ${key}`, `true ${key}`]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);

  it.each([
    ['empty', (file: string) => writeFileSync(file, '', { mode: 0o600 }), /holds nothing/],
    ['too short', (file: string) => writeFileSync(file, 'abc\n', { mode: 0o600 }), /too short/],
    ['readable by others', (file: string) => (writeFileSync(file, 'a-long-enough-admin-key-000\n'), chmodSync(file, 0o644)), /may be read by others.*chmod 600/],
    ['a symbolic link', (file: string) => (writeFileSync(`${file}.real`, 'a-long-enough-admin-key-000\n', { mode: 0o600 }), symlinkSync(`${file}.real`, file)), /symbolic link/],
  ])('refuses to start with an admin.key that is %s, saying why', async (_, plant, message) => {
    const dataDir = fresh();
    try {
      plant(join(dataDir, 'admin.key'));
      await expect(startService({ dataDir, unsetEnv: ['API_KEYS'] })).rejects.toThrow(message);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('keyId: an HMAC of the key under a secret of the store', () => {
  it('is not the SHA-256 prefix anyone could compute, is stable across restarts, and differs between stores', async () => {
    const recordedBy = async (dataDir: string, id: string) => {
      const service = await startService({ dataDir });
      await ok(service.post('/api/actors', actorBody('usGovernment', { id }), 'recorder'));
      const events = (await service.get(`/api/events?type=ActorRegistered`)).body.events as { recordedBy: string; data: { id: string } }[];
      await service.stop();
      return events.find((e) => e.data.id === id)!.recordedBy;
    };
    const [one, two] = [fresh(), fresh()];
    try {
      const first = await recordedBy(one, 'first');
      const sha = createHash('sha256').update(KEYS.recorder).digest('hex').slice(0, 12);
      expect(first).toMatch(/^recorder:[0-9a-f]{12}$/);
      expect(first).not.toBe(`recorder:${sha}`);
      expect(statSync(join(one, 'keyid.secret')).mode & 0o777).toBe(0o600);
      expect(await recordedBy(one, 'after-restart')).toBe(first);
      expect(await recordedBy(two, 'elsewhere')).not.toBe(first);
    } finally {
      for (const dir of [one, two]) rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('takes KEY_ID_SECRET when set, so instances sharing a store agree', async () => {
    const [one, two] = [fresh(), fresh()];
    try {
      const ids = [];
      for (const dataDir of [one, two]) {
        const service = await startService({ dataDir, env: { KEY_ID_SECRET: 'a-shared-secret-of-the-cluster' } });
        await ok(service.post('/api/actors', actorBody('usGovernment'), 'recorder'));
        ids.push(((await service.get('/api/events')).body.events as { recordedBy: string }[])[0].recordedBy);
        await service.close();
      }
      expect(ids[0]).toBe(ids[1]);
    } finally {
      for (const dir of [one, two]) rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

(ON_KURRENTDB ? describe.skip : describe)('the data folder is private', () => {
  const modes = (dataDir: string, files: string[]) => files.map((file) => ({ file, mode: (statSync(join(dataDir, file)).mode & 0o777).toString(8) }));

  it('creates the folder 0700, and the key files and the databases (with their WAL files) 0600', async () => {
    const root = fresh();
    const dataDir = join(root, 'data');
    const service = await startService({ dataDir, unsetEnv: ['API_KEYS'] });
    try {
      await ok(service.post('/api/actors', actorBody('usGovernment'), null, { authorization: `Bearer ${readFileSync(join(dataDir, 'admin.key'), 'utf8').trim()}` }));
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      const files = ['admin.key', 'keyid.secret', 'events.db', 'events.db-wal', 'events.db-shm', 'views.db', 'views.db-wal', 'views.db-shm', 'watch.db'];
      expect(modes(dataDir, files)).toEqual(files.map((file) => ({ file, mode: '600' })));
    } finally {
      await service.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('makes a folder left readable by an earlier version private at start', async () => {
    const dataDir = fresh();
    const first = await startService({ dataDir });
    await first.stop();
    chmodSync(dataDir, 0o755);
    for (const file of ['events.db', 'views.db']) chmodSync(join(dataDir, file), 0o644);
    const again = await startService({ dataDir });
    try {
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      expect(modes(dataDir, ['events.db', 'views.db'])).toEqual([{ file: 'events.db', mode: '600' }, { file: 'views.db', mode: '600' }]);
    } finally {
      await again.close();
    }
  });
});
