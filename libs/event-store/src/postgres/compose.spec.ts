/**
 * docker-compose.postgres.yml: PostgreSQL and two service instances on one record. No Docker
 * engine runs here, so the file is parsed and checked for what the service and PostgreSQL need;
 * `docker compose config` also checks it where the compose plugin exists.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { parse } from 'pg-connection-string';
import { storeSettingsFromEnv } from '../open-store';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FILE = 'docker-compose.postgres.yml';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const file = load(readFileSync(join(ROOT, FILE), 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as Compose;
/** `${NAME:-default}` as compose resolves it with NAME unset. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

function namedVolumeAt(service: Service, target: string): string {
  const name = service.volumes?.find((volume) => volume.endsWith(`:${target}`))?.split(':')[0] ?? '';
  expect(name).toMatch(/^[a-z][\w-]*$/); // a named volume, not a bind mount of a host path
  expect(file.volumes).toHaveProperty(name);
  return name;
}

describe(FILE, () => {
  const { postgres } = file.services;
  const apis = [file.services['api-1'], file.services['api-2']];

  it('runs PostgreSQL with its data in a named volume, a health check and its port published', () => {
    expect(Object.keys(file.services).sort()).toEqual(['api-1', 'api-2', 'postgres']);
    expect(postgres.image).toMatch(/postgres:\d+/);
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
    namedVolumeAt(postgres, '/var/lib/postgresql/data');
    expect(postgres.ports).toContain('5432:5432');
  });

  it('points two service instances at that database, in one schema, each with its own read models and port', () => {
    const env = postgres.environment ?? {};
    for (const api of apis) {
      expect(api.build).toBe('.');
      const settings = storeSettingsFromEnv(Object.fromEntries(Object.entries(api.environment ?? {}).map(([k, v]) => [k, withDefaults(v)])), '/data');
      expect(settings).toMatchObject({ kind: 'postgres', schema: 'positions' });
      // Read by the driver's own parser: what the service will connect to.
      const url = parse(settings.connectionString ?? '');
      expect(url).toMatchObject({ host: 'postgres', port: '5432', database: withDefaults(env.POSTGRES_DB), user: env.POSTGRES_USER, password: withDefaults(env.POSTGRES_PASSWORD) });
      expect(api.environment).toMatchObject({ HOST: '0.0.0.0', PORT: '3000', DATA_DIR: '/data' });
    }
    expect(new Set(apis.map((api) => namedVolumeAt(api, '/data'))).size).toBe(2);
    expect(apis.map((api) => api.ports?.[0])).toEqual(['3001:3000', '3002:3000']);
    expect(apis[0].depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(apis[1].environment?.SEED_DEMO).toBe('false');
  });
});

function hasComposePlugin(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const withCompose = hasComposePlugin() ? describe : describe.skip;
withCompose(`docker compose config${hasComposePlugin() ? '' : ' (skipped: no docker compose plugin on this machine)'}`, () => {
  it(`accepts ${FILE}`, () => {
    expect(() => execFileSync('docker', ['compose', '-f', join(ROOT, FILE), 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });
});
