import { startService, type TestService } from './support/app-harness';

/** Every route there is today, as the OpenAPI document names it. */
const ROUTES: [method: string, path: string][] = [
  ['post', '/api/actors'],
  ['get', '/api/actors'],
  ['get', '/api/actors/{id}'],
  ['post', '/api/actors/{id}/affiliations'],
  ['post', '/api/actors/{id}/affiliations/end'],
  ['post', '/api/topics'],
  ['get', '/api/topics'],
  ['get', '/api/topics/{id}'],
  ['post', '/api/topics/{id}/stances'],
  ['post', '/api/statements'],
  ['get', '/api/actors/{actorId}/positions/{topicId}'],
  ['get', '/health'],
];

/** The body fields of each command, as API.md lists them. */
const BODIES: [path: string, fields: string[], required: string[]][] = [
  ['/api/actors', ['id', 'name', 'kind', 'aliases', 'wikidataId'], ['id', 'name', 'kind']],
  ['/api/actors/{id}/affiliations', ['organizationId', 'role', 'from', 'until', 'speaksFor'], ['organizationId', 'role', 'from']],
  ['/api/actors/{id}/affiliations/end', ['organizationId', 'role', 'until'], ['organizationId', 'role', 'until']],
  ['/api/topics', ['id', 'title', 'proposition', 'stances'], ['id', 'title', 'proposition', 'stances']],
  ['/api/topics/{id}/stances', ['code', 'label', 'score'], ['code', 'label', 'score']],
  ['/api/statements', ['actorId', 'topicId', 'stance', 'summary', 'quote', 'statedOn', 'statedOnWording', 'source', 'onBehalfOf'], ['actorId', 'topicId', 'stance', 'summary', 'statedOn', 'source']],
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

  beforeAll(async () => {
    service = await startService();
    doc = (await service.get('/docs/json', null)).body;
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

  it.each(ROUTES)('lists %s %s', (method, path) => {
    expect(doc.paths[path]?.[method]).toBeDefined();
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
