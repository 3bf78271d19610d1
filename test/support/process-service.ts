import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { compiledApp, ROOT } from './compiled-app';
import { KEYS, type KeyRole } from './app-harness';
import { SERVICE_READY_MS } from './timeouts';

/*
 * The real service as a child process, as `npm start` runs it: its own event loop, its own
 * SQLite connections, killable with SIGKILL or SIGTERM and restartable on the same data folder.
 * The API is compiled once per version of its sources into a temp folder (as test/support/
 * cli-harness.ts does for the CLI), so other apps' work in progress cannot break it and CI needs
 * no `npm run build` first.
 */

export { ROOT };

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ServiceProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Settles when the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  get<T = any>(path: string, as?: KeyRole | null, headers?: Record<string, string>): Promise<HttpAnswer<T>>;
  post<T = any>(path: string, body: unknown, as?: KeyRole | null, headers?: Record<string, string>): Promise<HttpAnswer<T>>;
  /** Sends the signal and waits for the process to end. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stdout and stderr (the last 64 KiB). */
  output(): string;
}

export interface ProcessOptions {
  /** Default: a fresh temp folder. */
  dataDir?: string;
  env?: Record<string, string>;
  /** How long to wait for `/health` 200 (default 30 s). */
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** The API compiled (once per version of its sources, shared by parallel jest workers); its main.js. */
export const buildApi = (): Promise<string> => compiledApp('api');

/** Starts the service on a free port and resolves once `/health` answers 200. */
export async function startProcess(options: ProcessOptions = {}): Promise<ServiceProcess> {
  const main = await buildApi();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'positions-proc-'));
  const port = await freePort();
  const apiKeys = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',');
  const env = {
    ...process.env,
    NODE_PATH: join(ROOT, 'node_modules'),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    API_KEYS: apiKeys,
    SEED_DEMO: 'false',
    RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(process.execPath, [main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-65_536));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const send = async (method: string, path: string, body: unknown, as: KeyRole | null | undefined, headers: Record<string, string> = {}) => {
    const auth: Record<string, string> = as ? { authorization: `Bearer ${KEYS[as]}` } : {};
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const type: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
    const response = await fetch(url + path, { method, body: payload, headers: { ...type, ...auth, ...headers } });
    const text = await response.text();
    return { status: response.status, body: parse(text) as any, headers: response.headers };
  };
  const service: ServiceProcess = {
    url,
    dataDir,
    pid: child.pid!,
    exited,
    get: (path, as = 'reader', headers) => send('GET', path, undefined, as, headers),
    post: (path, body, as = 'recorder', headers) => send('POST', path, body, as, headers),
    kill: async (signal) => {
      child.kill(signal);
      return exited;
    },
    output: () => log,
  };
  await waitForHealth(service, options.readyTimeoutMs ?? SERVICE_READY_MS);
  return service;
}

async function waitForHealth(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state: { ended: { code: number | null; signal: NodeJS.Signals | null } | null } = { ended: null };
  void service.exited.then((how) => (state.ended = how));
  while (Date.now() < deadline && !state.ended) {
    try {
      if ((await service.get('/health', null)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  const { ended } = state;
  if (!ended) await service.kill('SIGKILL');
  const why = ended ? `it exited with code ${ended.code}${ended.signal ? `, signal ${ended.signal}` : ''}` : 'timeout';
  throw new Error(`the service did not become healthy (${why}):\n${service.output()}`);
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
