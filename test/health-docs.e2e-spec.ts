import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startService, type TestService } from './support/app-harness';

type Route = [method: string, path: string];

/**
 * Every route the app serves, from its controllers' own metadata, as the OpenAPI document names it
 * (`:id` → `{id}`): a new route is in this list without anyone adding it. Which prefix a route got
 * (`/api`, or none for /health) is asked of the router itself.
 */
function routesOf(app: NestFastifyApplication): Route[] {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prototype = (metatype as { prototype: Record<string, unknown> }).prototype;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype));
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const verb = RequestMethod[method];
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
        const served = [`/api${path}`, path].filter((url) => fastify.hasRoute({ method: verb as 'GET', url }));
        expect({ route: `${verb} ${path}`, served: served.length }).toEqual({ route: `${verb} ${path}`, served: 1 });
        routes.push([verb.toLowerCase(), served[0].replace(/:(\w+)/g, '{$1}')]);
      }
    }
  }
  return routes;
}

/** The refusals every route of a kind can meet, whatever it does (docs/api.md, "Errors"). */
function expectedErrors([method, path]: Route): number[] {
  if (path === '/health') return [503];
  const named = path.includes('{') ? [404] : [];
  if (method === 'get') return [400, 401, 429, 503, ...named];
  return [400, 401, 403, 413, 415, 429, 503, ...named];
}


/** The body fields of each command, as the API has always taken them. */
const BODIES: [path: string, fields: string[], required: string[]][] = [
  ['/api/actors', ['id', 'name', 'kind', 'aliases', 'wikidataId'], ['id', 'name', 'kind']],
  ['/api/actors/{id}/affiliations', ['organizationId', 'role', 'from', 'until', 'speaksFor'], ['organizationId', 'role', 'from']],
  ['/api/actors/{id}/affiliations/end', ['organizationId', 'role', 'until'], ['organizationId', 'role', 'until']],
  ['/api/topics', ['id', 'title', 'proposition', 'stances'], ['id', 'title', 'proposition', 'stances']],
  ['/api/topics/{id}/stances', ['code', 'label', 'score'], ['code', 'label', 'score']],
  ['/api/statements', ['actorId', 'topicId', 'stance', 'summary', 'quote', 'statedOn', 'source', 'onBehalfOf'], ['actorId', 'topicId', 'stance', 'summary', 'statedOn', 'source']],
];

describe('GET /health', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('answers 200 {status: "ok", store: "sqlite", ...} without a key once the service can answer', async () => {
    const answer = await service.get('/health', null);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', store: 'sqlite' });
  });

  it('lives outside /api', async () => {
    expect((await service.get('/api/health', null)).status).toBe(404);
  });
});

describe('GET /docs and GET /docs/json (OpenAPI)', () => {
  let service: TestService;
  let doc: any;
  let routes: Route[];

  beforeAll(async () => {
    service = await startService();
    doc = (await service.get('/docs/json', null)).body;
    routes = routesOf(service.app);
  });
  afterAll(() => service.close());

  /** Follows a `$ref` inside the document. */
  const resolve = (schema: any): any => (schema?.$ref ? resolve(schema.$ref.split('/').slice(1).reduce((node: any, key: string) => node[key], doc)) : schema);

  it('serves the OpenAPI UI as HTML', async () => {
    const answer = await service.app.inject({ method: 'GET', url: '/docs' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/text\/html/);
    expect(answer.body).toMatch(/swagger/i);
  });

  it('serves an OpenAPI 3 document', async () => {
    const answer = await service.get('/docs/json', null);
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
    expect(answer.body.info.title).toBe('positions');
  });

  it('finds every route of every controller, commands and queries both', () => {
    expect(routes.length).toBeGreaterThanOrEqual(24);
    expect(routes).toEqual(expect.arrayContaining([['post', '/api/statements'], ['get', '/api/events'], ['get', '/health'], ['post', '/api/projections/{name}/rebuild']]));
  });

  it('lists every route the app serves, and no other', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(routes.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('documents for every route its answer and each refusal it can meet, in the one error shape', () => {
    for (const route of routes) {
      const [method, path] = route;
      const responses = doc.paths[path][method].responses as Record<string, any>;
      const success = Object.keys(responses).filter((status) => /^2/.test(status));
      const errors = Object.keys(responses).filter((status) => /^[45]/.test(status)).map(Number);
      expect({ route, success: success.length > 0, errors }).toEqual({ route, success: true, errors: expect.arrayContaining(expectedErrors(route)) });
      if (path === '/health') continue; // its 503 is the health answer itself, with the failing checks
      for (const status of errors) {
        const schema = responses[status].content?.['application/json']?.schema;
        expect({ route, status, schema: schema?.$ref }).toEqual({ route, status, schema: '#/components/schemas/ErrorResponse' });
      }
    }
  });

  it('documents Idempotency-Key and its 409 on every command that records events', () => {
    const commands = routes.filter(([method, path]) => method === 'post' && !path.endsWith('/rebuild'));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const [method, path] of commands) {
      const operation = doc.paths[path][method];
      const headers = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
      expect({ path, headers, conflict: Boolean(operation.responses['409']) }).toEqual({ path, headers: expect.arrayContaining(['Idempotency-Key']), conflict: true });
    }
  });

  it.each(BODIES)('documents the body of POST %s with each of its properties', (path, fields, required) => {
    const schema = resolve(doc.paths[path].post.requestBody?.content?.['application/json']?.schema);
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual([...fields].sort());
    for (const field of fields) {
      const property = resolve(schema.properties[field]);
      expect({ field, typed: Boolean(property.type || property.enum || property.allOf || property.oneOf) }).toEqual({ field, typed: true });
    }
    expect([...(schema.required ?? [])].sort()).toEqual([...required].sort());
  });

  it('documents the source of a statement and the stances of a codebook with their properties', () => {
    const statement = resolve(doc.paths['/api/statements'].post.requestBody.content['application/json'].schema);
    const source = resolve(statement.properties.source.allOf?.[0] ?? statement.properties.source);
    expect(Object.keys(source.properties).sort()).toEqual(['publishedOn', 'publisher', 'title', 'url']);
    const topic = resolve(doc.paths['/api/topics'].post.requestBody.content['application/json'].schema);
    expect(Object.keys(resolve(topic.properties.stances.items).properties).sort()).toEqual(['code', 'label', 'score']);
  });

  it('documents the at and knownAt query parameters of the position query', () => {
    const parameters = doc.paths['/api/actors/{actorId}/positions/{topicId}'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(parameters).toEqual(expect.arrayContaining(['path:actorId', 'path:topicId', 'query:at', 'query:knownAt']));
  });

  it('documents the If-Match header of POST /api/statements', () => {
    const headers = doc.paths['/api/statements'].post.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name.toLowerCase());
    expect(headers).toContain('if-match');
  });
});
