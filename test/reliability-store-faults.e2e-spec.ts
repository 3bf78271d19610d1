import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '@positions/event-store/sqlite';
import { sanctionsReliefBody } from '@positions/testing';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../apps/api/src/app';
import { loadConfig } from '../apps/api/src/config';
import { KEYS, type KeyRole } from './support/app-harness';
import { type ServiceProcess, startProcess } from './support/process-service';
import { disagreements, readLog } from './support/reference';
import { PROCESS_TEST_MS } from './support/timeouts';

/*
 * Store faults: the data folder full or read-only, and SIGTERM. A command the store cannot take
 * answers 503 with a clear message and writes nothing; reads keep working; the next command after
 * the fault succeeds. Where the machine allows (root: `mount -t tmpfs`), with a real 4 MiB folder.
 */

jest.setTimeout(PROCESS_TEST_MS);

const TOPIC = 'russia-sanctions-relief';
const statement = (actorId: string, summary: string) => ({ actorId, topicId: TOPIC, stance: 'not-yet', summary, statedOn: '2024-05-01', source: { title: 'T' } });
const REASONS: Record<string, string> = { SQLITE_FULL: 'the disk is full', SQLITE_READONLY: 'the database is read-only', SQLITE_IOERR_WRITE: 'a disk I/O error occurred' };

/** A size-limited folder, or null where this machine does not allow mounting one (not root). */
function mountTmpfs(sizeKiB: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'positions-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}
function unmount(dir: string): void {
  execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
const probe = mountTmpfs(64);
if (probe) unmount(probe);
const withMount = probe ? it : it.skip;

/**
 * The real SqliteEventStore with a fault switch. SQLITE_READONLY comes from SQLite itself
 * (`PRAGMA query_only`); SQLITE_FULL and SQLITE_IOERR_WRITE cannot be provoked portably, so the
 * store's own insert throws SQLite's error class with that code, inside its transaction.
 */
function faultyStore(file: string) {
  const store = SqliteEventStore.open(file);
  const { db, insert } = store as unknown as { db?: Database.Database; insert?: Database.Statement };
  if (!db || !insert) throw new Error('SqliteEventStore no longer has `db` and `insert`: update faultyStore() to its internals');
  const run = insert.run.bind(insert);
  let fault: { code: string; stream?: string } | null = null;
  insert.run = ((row: { stream_id?: string; streamId?: string }) => {
    const stream = row.stream_id ?? row.streamId;
    if (fault && fault.code !== 'SQLITE_READONLY' && (!fault.stream || fault.stream === stream)) throw new Database.SqliteError(`injected ${fault.code}`, fault.code);
    return run(row);
  }) as typeof insert.run;
  return {
    store,
    set(code: string | null, stream?: string) {
      fault = code ? { code, stream } : null;
      db.pragma(`query_only = ${code === 'SQLITE_READONLY' ? 1 : 0}`);
    },
  };
}

describe('reliability: store faults answered with 503, nothing half-written, recovery (store double)', () => {
  let app: NestFastifyApplication;
  let fault: ReturnType<typeof faultyStore>;
  let dataDir: string;
  const send = async (method: 'GET' | 'POST', url: string, body?: unknown, as: KeyRole | null = 'recorder', headers: Record<string, string> = {}) => {
    const response = await app.inject({ method, url, payload: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', ...(as && { authorization: `Bearer ${KEYS[as]}` }), ...headers } });
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };
  const reader = { get: (url: string) => send('GET', url, undefined, 'reader') };
  let statementId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'positions-faults-'));
    fault = faultyStore(join(dataDir, 'events.db'));
    const apiKeys = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',');
    app = await createApp(loadConfig({ DATA_DIR: dataDir, API_KEYS: apiKeys, SEED_DEMO: 'false', LOG_LEVEL: 'silent', RATE_LIMIT: '0' }), { openStore: () => fault.store });
    for (const id of ['org', 'faulty', 'other']) expect((await send('POST', '/api/actors', { id, name: id, kind: id === 'org' ? 'organization' : 'person' })).status).toBe(201);
    expect((await send('POST', '/api/topics', sanctionsReliefBody())).status).toBe(201);
    statementId = (await send('POST', '/api/statements', statement('faulty', 'before'))).body.statementId;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(Object.keys(REASONS))('%s: every command answers 503 naming the fault, writes nothing; reads keep working; the next command after it succeeds', async (code) => {
    const before = await readLog(reader);
    fault.set(code);
    const commands = await Promise.all([
      send('POST', '/api/statements', statement('faulty', `during ${code}`), 'recorder', { 'idempotency-key': `key-${code}` }),
      send('POST', '/api/actors', { id: `new-${code.toLowerCase().replace(/_/g, '-')}`, name: 'New', kind: 'person' }),
      send('POST', '/api/topics', sanctionsReliefBody({ id: `topic-${code.toLowerCase().replace(/_/g, '-')}` })),
      send('POST', `/api/topics/${TOPIC}/stances`, { code: 'unsure', label: 'Unsure', score: 0 }),
      send('POST', '/api/actors/faulty/affiliations', { organizationId: 'org', role: `Role ${code}`, from: '2024-01-01' }),
      send('POST', `/api/statements/${statementId}/corrections`, { changes: { summary: `fixed ${code}` }, reason: 'R' }, 'editor'),
      send('POST', `/api/statements/${statementId}/retractions`, { reason: 'R' }, 'editor'),
    ]);
    for (const answer of commands) {
      expect(answer).toEqual({ status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: expect.any(String), details: [] } });
      expect(answer.body.message).toContain('nothing was written');
      expect(answer.body.message).toContain(REASONS[code]);
      expect(answer.body.message).toContain(code);
    }
    for (const url of ['/api/actors/faulty', `/api/statements/${statementId}`, `/api/actors/faulty/positions/${TOPIC}`, `/api/topics/${TOPIC}/positions`, '/api/events', '/api/projections']) {
      expect({ url, status: (await reader.get(url)).status }).toEqual({ url, status: 200 });
    }
    expect(await readLog(reader)).toEqual(before);

    fault.set(null);
    const retried = await send('POST', '/api/statements', statement('faulty', `during ${code}`), 'recorder', { 'idempotency-key': `key-${code}` });
    expect(retried.status).toBe(201);
    const repeated = await send('POST', '/api/statements', statement('faulty', `during ${code}`), 'recorder', { 'idempotency-key': `key-${code}` });
    expect(repeated).toEqual(retried);
    expect((await send('POST', `/api/statements/${statementId}/corrections`, { changes: { summary: `fixed ${code}` }, reason: 'R' }, 'editor')).status).toBe(201);
    expect((await readLog(reader)).length).toBe(before.length + 2);
    expect(await disagreements(reader, { ats: ['2024-05-01', '2025-01-01'] })).toEqual([]);
  });

  it('a fault on one stream fails only its commands in a shared group commit; the others are written whole', async () => {
    const before = (await readLog(reader)).length;
    fault.set('SQLITE_IOERR_WRITE', `position-faulty.${TOPIC}`);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => send('POST', '/api/statements', statement(i % 2 ? 'faulty' : 'other', `group ${i}`))));
    fault.set(null);
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? 503 : 201)));
    const log = await readLog(reader);
    expect(log.slice(before).map((e) => e.data.summary)).toEqual(['group 0', 'group 2', 'group 4', 'group 6', 'group 8']);
    expect(await disagreements(reader, { ats: ['2024-05-01'] })).toEqual([]);
  });
});

describe('reliability: a real data folder that fills up, or is read-only (tmpfs; needs root)', () => {
  withMount('a full folder: commands 503 (SQLITE_FULL), reads work, nothing half-written; freeing space recovers, a restart finds it all', async () => {
    const dir = mountTmpfs(4096)!;
    let service: ServiceProcess | undefined;
    try {
      service = await startProcess({ dataDir: dir });
      expect((await service.post('/api/actors', { id: 'p', name: 'P', kind: 'person' })).status).toBe(201);
      expect((await service.post('/api/topics', sanctionsReliefBody())).status).toBe(201);
      expect((await service.post('/api/statements', statement('p', 'before'))).status).toBe(201);
      const before = await readLog(service);
      let n = 0;
      try {
        for (;;) writeFileSync(join(dir, `filler-${n++}`), Buffer.alloc(4096));
      } catch {
        // ENOSPC: the folder is full
      }
      // Some writes may still fit in the write-ahead logs' space, which their checkpoints (on a
      // thread of their own) free for reuse at any moment; the others are refused whole.
      const answers: { status: number; message: string; summary: string }[] = [];
      for (let i = 0; i < 200 && answers.filter((a) => a.status !== 201).length < 3; i++) {
        const answer = await service.post('/api/statements', statement('p', `full ${i}`));
        answers.push({ status: answer.status, message: answer.body.message, summary: `full ${i}` });
      }
      const refused = answers.filter((a) => a.status !== 201);
      expect(refused).toHaveLength(3);
      for (const answer of refused) {
        expect(answer.status).toBe(503);
        expect(answer.message).toMatch(/nothing was written.*disk is full.*SQLITE_FULL/);
      }
      const fitted = answers.filter((a) => a.status === 201).map((a) => a.summary);
      expect((await service.get(`/api/actors/p/positions/${TOPIC}`)).status).toBe(200);
      const health = await service.get('/health', null);
      expect(health.status).toBe(503);
      expect(health.body.details.writes).toEqual({ status: 'down', message: expect.stringContaining('disk is full') });
      const written = (await readLog(service)).slice(before.length);
      expect(written.map((e) => [e.type, e.data.summary])).toEqual(fitted.map((summary) => ['PositionStated', summary]));

      for (const file of readdirSync(dir).filter((f) => f.startsWith('filler-'))) rmSync(join(dir, file));
      expect((await service.post('/api/statements', statement('p', 'after'))).status).toBe(201);
      expect((await service.get('/health', null)).status).toBe(200);
      expect(await disagreements(service, { ats: ['2024-05-01'] })).toEqual([]);
      await service.kill('SIGTERM');
      service = await startProcess({ dataDir: dir });
      expect((await readLog(service)).filter((e) => e.type === 'PositionStated').map((e) => e.data.summary)).toEqual(['before', ...fitted, 'after']);
    } finally {
      await service?.kill('SIGKILL');
      unmount(dir);
    }
  });

  // A folder cannot be remounted read-only while the store has its files open for writing (EBUSY),
  // so this is the read-only folder at start: the service must stop with an error, not serve or hang.
  withMount('a read-only folder at start: the service refuses to start (SQLITE_CANTOPEN) and exits with code 1', async () => {
    const dir = mountTmpfs(4096)!;
    try {
      const first = await startProcess({ dataDir: dir });
      expect((await first.post('/api/actors', { id: 'p', name: 'P', kind: 'person' })).status).toBe(201);
      await first.kill('SIGTERM');
      execFileSync('mount', ['-o', 'remount,ro', dir]);
      const failure = await startProcess({ dataDir: dir, readyTimeoutMs: 15_000 }).then(
        (service) => service.kill('SIGKILL').then(() => 'it started'),
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/did not become healthy \(it exited with code 1\)[\s\S]*SQLITE_CANTOPEN/);
    } finally {
      unmount(dir);
    }
  });
});

/** A POST whose headers (and half its body) are sent now, the rest when `finish()` is called. */
function slowPost(url: string, body: unknown) {
  const payload = Buffer.from(JSON.stringify(body));
  const req = request(`${url}/api/statements`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${KEYS.recorder}` } });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
  });
  req.write(payload.subarray(0, payload.length >> 1));
  return { answer, finish: () => req.end(payload.subarray(payload.length >> 1)) };
}

describe('reliability: SIGTERM drains in-flight requests and closes the store cleanly', () => {
  it('answers all 20 requests in flight, exits, leaves no WAL behind, and a restart finds every 2xx', async () => {
    let service = await startProcess();
    const { dataDir } = service;
    try {
      expect((await service.post('/api/actors', { id: 'p', name: 'P', kind: 'person' })).status).toBe(201);
      expect((await service.post('/api/topics', sanctionsReliefBody())).status).toBe(201);
      const inFlight = Array.from({ length: 20 }, (_, i) => slowPost(service.url, statement('p', `in flight ${i}`)));
      await sleep(300); // the server has their headers: they are routed and reading their bodies
      const exited = service.kill('SIGTERM');
      await sleep(50);
      inFlight.slice(0, 10).forEach((r) => r.finish());
      await sleep(300);
      inFlight.slice(10).forEach((r) => r.finish());
      const answers = await Promise.all(inFlight.map((r) => r.answer));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      // Nest re-raises the signal once it has closed everything (exit status 143); 0 would do as well.
      expect([{ code: 0, signal: null }, { code: null, signal: 'SIGTERM' }]).toContainEqual(await exited);
      expect(readdirSync(dataDir).filter((f) => f.endsWith('-wal') && statSync(join(dataDir, f)).size > 0)).toEqual([]);
      const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();

      service = await startProcess({ dataDir });
      const ids = answers.map((a) => a.body.statementId);
      expect((await Promise.all(ids.map((id) => service.get(`/api/statements/${id}`)))).map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(await disagreements(service, { ats: ['2024-05-01'] })).toEqual([]);
    } finally {
      await service.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
