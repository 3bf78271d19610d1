/**
 * The deployment files at the repository root: docker-compose.yml, docker-compose.cluster.yml,
 * Dockerfile. No Docker engine runs here, so they are parsed and checked for what the service
 * and KurrentDB need; `docker compose config` also checks them where the compose plugin exists.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConnectionString } from '@kurrent/kurrentdb-client/dist/Client/parseConnectionString';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** YAML as compose reads it, `<<` merge keys resolved. */
const compose = (file: string) => load(read(file), { schema: CORE_SCHEMA.withTags(mergeTag) }) as Compose;

/** The variables the service reads (docs/api.md, "Configuration"). */
const SERVICE_VARIABLES = ['PORT', 'HOST', 'EVENT_STORE', 'DATA_DIR', 'EVENTSTORE_CONNECTION_STRING', 'API_KEYS', 'READ_ACCESS', 'RATE_LIMIT', 'SEED_DEMO'];

function namedVolumeAt(service: Service, target: string, file: Compose): string {
  const mount = service.volumes?.find((volume) => volume.endsWith(`:${target}`));
  const name = mount?.split(':')[0] ?? '';
  expect(name).toMatch(/^[a-z][\w-]*$/); // a named volume, not a bind mount of a host path
  expect(file.volumes).toHaveProperty(name);
  return name;
}

function expectServiceOnKurrentDb(api: Service, nodes: string[]): void {
  expect(api.build).toBe('.');
  const env = api.environment ?? {};
  expect(Object.keys(env).filter((name) => !SERVICE_VARIABLES.includes(name))).toEqual([]);
  expect(env).toMatchObject({ EVENT_STORE: 'eventstoredb', HOST: '0.0.0.0', PORT: '3000', DATA_DIR: '/data' });
  // Read by the client's own parser: what the service will connect to.
  const parsed = parseConnectionString(env.EVENTSTORE_CONNECTION_STRING);
  expect(parsed.tls).toBe(false);
  expect(parsed.hosts).toEqual(nodes.map((node) => ({ address: node, port: 2113 })));
}

describe('docker-compose.yml', () => {
  const file = compose('docker-compose.yml');
  const { kurrentdb, api } = file.services;

  it('runs one KurrentDB node in insecure dev mode, its data in a named volume, its port published', () => {
    expect(Object.keys(file.services).sort()).toEqual(['api', 'kurrentdb']);
    expect(kurrentdb.image).toMatch(/kurrentdb:\d+\.\d+/);
    expect(kurrentdb.environment).toMatchObject({ KURRENTDB_INSECURE: 'true', KURRENTDB_CLUSTER_SIZE: '1' });
    namedVolumeAt(kurrentdb, '/var/lib/kurrentdb', file);
    expect(kurrentdb.ports).toContain('2113:2113');
  });

  it('builds the service from the Dockerfile and points it at the node, once the node is healthy', () => {
    expectServiceOnKurrentDb(api, ['kurrentdb']);
    expect(api.depends_on).toEqual({ kurrentdb: { condition: 'service_healthy' } });
    expect(api.ports).toContain('3000:3000');
    namedVolumeAt(api, '/data', file);
  });
});

describe('docker-compose.cluster.yml', () => {
  const file = compose('docker-compose.cluster.yml');
  const nodes = ['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3'];

  it('runs a three-node insecure cluster, each node seeded with the other two and keeping its own volume', () => {
    expect(Object.keys(file.services).sort()).toEqual(['api-1', 'api-2', ...nodes]);
    const ips = nodes.map((node) => file.services[node].environment?.KURRENTDB_REPLICATION_IP);
    nodes.forEach((node, i) => {
      const env = file.services[node].environment ?? {};
      expect(env).toMatchObject({ KURRENTDB_CLUSTER_SIZE: '3', KURRENTDB_INSECURE: 'true', KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS: node });
      expect(env.KURRENTDB_GOSSIP_SEED.split(',').sort()).toEqual(ips.filter((_ip, j) => j !== i).map((ip) => `${ip}:2113`).sort());
    });
    const volumes = nodes.map((node) => namedVolumeAt(file.services[node], '/var/lib/kurrentdb', file));
    expect(new Set(volumes).size).toBe(3);
    expect(nodes.map((node) => file.services[node].ports?.[0])).toEqual(['2111:2113', '2112:2113', '2113:2113']);
  });

  it('runs two service instances on the whole cluster, each with its own read models and port', () => {
    const apis = [file.services['api-1'], file.services['api-2']];
    apis.forEach((api) => expectServiceOnKurrentDb(api, nodes));
    expect(new Set(apis.map((api) => namedVolumeAt(api, '/data', file))).size).toBe(2);
    expect(apis.map((api) => api.ports?.[0])).toEqual(['3001:3000', '3002:3000']);
    expect(apis[1].environment?.SEED_DEMO).toBe('false');
    expect(Object.keys(apis[0].depends_on ?? {}).sort()).toEqual(nodes);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const [build, runtime] = dockerfile.split(/^FROM /m).slice(1);

  it('builds on Debian Node 20 with the compilers better-sqlite3 needs', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(build).toMatch(/^\$\{NODE_IMAGE\} AS build/);
    expect(build).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(build).toMatch(/^RUN npm ci\b/m);
    expect(build).toMatch(/^RUN npm run build$/m);
  });

  it('runs production dependencies only, as a non-root user, with /data as a volume', () => {
    expect(runtime).toMatch(/^\$\{NODE_IMAGE\} AS runtime/);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/apt-get purge -y --auto-remove python3 make g\+\+/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/DATA_DIR=\/data/);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
  });

  it('starts what `npm start` starts', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toBe('node dist/apps/api/src/main.js');
    expect(runtime).toMatch(/^CMD \["node", "dist\/apps\/api\/src\/main\.js"\]$/m);
  });

  it('keeps local state and dependencies out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '*.db', 'admin.key', '.git']));
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
  it.each(['docker-compose.yml', 'docker-compose.cluster.yml'])('accepts %s', (file) => {
    expect(() => execFileSync('docker', ['compose', '-f', join(ROOT, file), 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });
});
