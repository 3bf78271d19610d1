/**
 * A PostgreSQL to test against: the one `POSTGRES_TEST_URL` (or `DATABASE_URL`) names, or a
 * throwaway cluster started here from the installed binaries (Debian's `postgresql` package:
 * /usr/lib/postgresql/<version>/bin), in a temporary folder, on a free port, listening on
 * 127.0.0.1 only. initdb refuses to run as root: as root, the cluster belongs to the `postgres`
 * user. Test-only: tests, the e2e harness and the benchmark import it by path.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface TestPostgres {
  /** A connection URL to a database the tests may create schemas in. */
  url: string;
  /** Where it came from, for messages: `POSTGRES_TEST_URL`, or the cluster's folder. */
  origin: string;
  /** Stops the cluster and removes its folder (nothing for a given URL). */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Keep fsync on, for measurements (default off: a throwaway cluster need not survive a power cut). */
  durable?: boolean;
}

/** The URL the environment gives, if any. */
export function givenPostgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.POSTGRES_TEST_URL || env.DATABASE_URL || null;
}

/** A database to test against, or the reason there is none (PostgreSQL not installed, or it would not start). */
export async function startTestPostgres(options: ClusterOptions = {}): Promise<TestPostgres | { unavailable: string }> {
  const given = givenPostgresUrl();
  if (given) return { url: given, origin: 'POSTGRES_TEST_URL', stop: async () => undefined };
  const bin = postgresBin();
  if (!bin) return { unavailable: 'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or PG_BIN) and POSTGRES_TEST_URL is not set' };
  try {
    return await startCluster(bin, options);
  } catch (error) {
    return { unavailable: `a PostgreSQL cluster could not be started: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The folder of initdb and pg_ctl: PG_BIN, else the newest Debian install. */
export function postgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'initdb')) ? env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const found = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  return found ?? null;
}

async function startCluster(bin: string, { durable = false }: ClusterOptions): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'positions-pg-'));
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (tool: string, args: string[]) => {
    const [command, argv] = asPostgres ? ['su', ['postgres', '-s', '/bin/sh', '-c', [join(bin, tool), ...args].map(shellQuote).join(' ')]] : [join(bin, tool), args];
    const result = spawnSync(command as string, argv as string[], { encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  };
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    const settings = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'];
    if (!durable) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    run('pg_ctl', ['-D', data, '-o', settings.join(' '), '-l', join(dir, 'log'), '-w', '-t', '120', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    origin: dir,
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh schema name, so that suites and tests sharing one database do not see each other. */
export function freshSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema and everything in it (a test's cleanup). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
