import { isDate, isSlug, isTimeValue } from '@positions/domain';
import { sanctionsReliefBody } from '@positions/testing';
import fc from 'fast-check';
import { type Answer, type KeyRole, type TestService } from './support/app-harness';
import { type BadInputWorld, badInputWorld } from './support/bad-input';

/*
 * Bad input, property-based: generated invalid bodies and headers thrown at every command of
 * apps/api/src/**\/*.controller.ts. Always a 4xx in the API's one error shape (docs/api.md, "Errors"), never a 5xx, never a
 * write (the log's last position does not move). Path ids and query strings:
 * reliability-bad-input-urls.e2e-spec.ts.
 */

jest.setTimeout(60_000);

const SEED = 20_251_129;
const check = (property: fc.IAsyncProperty<any>, numRuns: number) => fc.assert(property, { seed: SEED, numRuns, endOnFailure: true });
const TOPIC = 'russia-sanctions-relief';
const STATEMENT = '00000000-0000-4000-8000-000000000000'; // replaced by the seeded statement's id

// ---- invalid values, by what a field expects --------------------------------------------------
const nonString = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
const nonObject = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.array(fc.jsonValue(), { maxLength: 2 }));
const text = fc.string({ unit: 'grapheme', maxLength: 20 });
const badSlug = fc.oneof(nonString, text.filter((s) => !isSlug(s)), fc.constantFrom('a'.repeat(65), 'A', 'a--b', '-a', 'a-', 'a_b', 'é'));
const badText = (max: number) => fc.oneof(nonString, fc.constantFrom('', ' ', '\t\n', '\u00a0\u3000', 'x'.repeat(max + 1)));
const badDate = fc.oneof(nonString, text.filter((s) => !isDate(s)), fc.constantFrom('2024-02-30', '2023-02-29', '2024-13-01', '2024-1-1', '2024-01-01T00:00:00Z'));
const badTime = fc.oneof(nonString, text.filter((s) => !isTimeValue(s)), fc.constantFrom('2024-01-01T10:00:00', '2024-01-01T10:00Z', '2024-01-01 10:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T10:00:00+15:00'));
const badUrl = fc.oneof(nonString, fc.constantFrom('ftp://example.org', 'javascript:alert(1)', 'example.org', 'http://', 'http://exa mple.org', `https://e.org/${'a'.repeat(2048)}`));
const badScore = fc.oneof(fc.integer().filter((n) => n < -2 || n > 2), fc.double({ noInteger: true, noNaN: true }), fc.constantFrom('1', null, true, [1]));
const stance = { code: 'fresh', label: 'Fresh', score: 0 };
/** An object field: not an object, an unknown key, a required key missing, or one key with a bad value. */
const nested = (base: Record<string, unknown>, bad: Record<string, fc.Arbitrary<unknown>>, required: string[]) =>
  fc.oneof(
    nonObject,
    fc.constant({ ...base, extra: 1 }),
    ...required.map((key) => fc.constant({ ...base, [key]: undefined })),
    { weight: 2, arbitrary: fc.constantFrom(...Object.keys(bad)).map((key) => ({ ...base, [key]: null })) },
    { weight: 4, arbitrary: fc.constantFrom(...Object.keys(bad)).chain((key) => bad[key].map((value) => ({ ...base, [key]: value }))) },
  );
const badSource = fc.oneof(nested({ title: 'T' }, { url: badUrl, title: badText(200), publisher: badText(200), publishedOn: badDate }, ['title']), fc.constant({ publisher: 'P' }));

type Spec = Record<string, fc.Arbitrary<unknown>>;
interface Command {
  path: string;
  as: KeyRole;
  body: () => Record<string, unknown>;
  required: string[];
  bad: Spec;
}

let fresh = 0;
const COMMANDS: Command[] = [
  {
    path: '/api/actors',
    as: 'recorder',
    body: () => ({ id: `fresh-${++fresh}`, name: 'Fresh', kind: 'person' }),
    required: ['id', 'name', 'kind'],
    bad: {
      id: badSlug,
      name: badText(200),
      kind: fc.oneof(nonString, fc.constantFrom('', 'Person', 'party')),
      aliases: fc.oneof(nonObject.filter((v) => !Array.isArray(v) && v !== null), fc.constant(Array(21).fill('A')), badText(200).map((a) => ['ok', a])),
      wikidataId: fc.oneof(nonString.filter((v) => v !== null), fc.constantFrom('Q0', 'q1', 'Q', 'P31', 'Q1234567890123')),
    },
  },
  {
    path: '/api/actors/speaker/affiliations',
    as: 'recorder',
    body: () => ({ organizationId: 'org', role: `Role ${++fresh}`, from: '2024-01-01' }),
    required: ['organizationId', 'role', 'from'],
    bad: { organizationId: badSlug, role: badText(200), from: badDate, until: badDate.filter((v) => v !== null), speaksFor: fc.oneof(fc.string(), fc.integer(), fc.constant([true])) },
  },
  {
    path: '/api/actors/speaker/affiliations/end',
    as: 'recorder',
    body: () => ({ organizationId: 'org', role: 'Open role', until: '2024-12-31' }),
    required: ['organizationId', 'role', 'until'],
    bad: { organizationId: badSlug, role: badText(200), until: badDate },
  },
  {
    path: '/api/topics',
    as: 'recorder',
    body: () => sanctionsReliefBody({ id: `fresh-${++fresh}` }) as unknown as Record<string, unknown>,
    required: ['id', 'title', 'proposition', 'stances'],
    bad: {
      id: badSlug,
      title: badText(200),
      proposition: badText(500),
      stances: fc.oneof(
        nonObject.filter((v) => !Array.isArray(v)),
        fc.constantFrom([], Array.from({ length: 21 }, (_, i) => ({ ...stance, code: `s${i}` }))),
        nested(stance, { code: badSlug, label: badText(200), score: badScore }, ['code', 'label', 'score']).map((s) => [s]),
      ),
    },
  },
  {
    path: `/api/topics/${TOPIC}/stances`,
    as: 'recorder',
    body: () => ({ code: `fresh-${++fresh}`, label: 'Fresh', score: 1 }),
    required: ['code', 'label', 'score'],
    bad: { code: badSlug, label: badText(200), score: badScore },
  },
  {
    path: '/api/statements',
    as: 'recorder',
    body: () => ({ actorId: 'speaker', topicId: TOPIC, stance: 'not-yet', summary: `Fresh ${++fresh}`, statedOn: '2024-05-01', source: { title: 'T' } }),
    required: ['actorId', 'topicId', 'stance', 'summary', 'statedOn', 'source'],
    bad: { actorId: badSlug, topicId: badSlug, stance: badSlug, summary: badText(2000), quote: badText(5000), statedOn: badTime, source: badSource, onBehalfOf: badSlug },
  },
  {
    path: `/api/statements/${STATEMENT}/corrections`,
    as: 'editor',
    body: () => ({ changes: { summary: `Fixed ${++fresh}` }, reason: 'R' }),
    required: ['changes', 'reason'],
    bad: {
      reason: badText(2000),
      changes: nested({ summary: 'S' }, { stance: badSlug, summary: badText(2000), quote: badText(5000), statedOn: badTime, source: badSource, onBehalfOf: badSlug }, []),
    },
  },
  { path: `/api/statements/${STATEMENT}/retractions`, as: 'editor', body: () => ({ reason: 'R' }), required: ['reason'], bad: { reason: badText(2000) } },
  {
    path: '/api/intake',
    as: 'recorder',
    body: () => ({ text: `Trump said on Tuesday that nothing was lifted (${++fresh}).`, publishedOn: '2024-05-01' }),
    required: ['text', 'publishedOn'],
    // Over-long texts are over the route's 1 MiB body limit (413), tested in intake.e2e-spec.ts.
    bad: { text: fc.oneof(nonString, fc.constantFrom('', ' ', '\t\n')), html: fc.oneof(nonString, fc.constant('<p>and html</p>')), url: badUrl, title: badText(200), publisher: badText(200), publishedOn: badDate, topicId: badSlug },
  },
  {
    path: `/api/intake/${STATEMENT}/candidates/c1/accept`,
    as: 'recorder',
    body: () => ({ summary: `Fresh ${++fresh}` }),
    required: [],
    bad: { actorId: badSlug, topicId: badSlug, stance: badSlug, summary: badText(2000), quote: badText(5000), statedOn: badTime, source: badSource, onBehalfOf: badSlug },
  },
  { path: `/api/intake/${STATEMENT}/candidates/c1/reject`, as: 'recorder', body: () => ({ reason: 'R' }), required: ['reason'], bad: { reason: badText(2000) } },
];

/** Fields where `null` means "absent" (GET shows an open affiliation's `until` as null). */
const NULL_AS_ABSENT = ['until', 'speaksFor', 'aliases'];

/** Invalid body for a command: a field missing, null or with a bad value, an unknown field, not an object, not JSON. */
const invalidBody = (command: Command) =>
  fc.oneof(
    ...(command.required.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...command.required).map((field) => ({ ...command.body(), [field]: undefined })) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...Object.keys(command.bad).filter((f) => !NULL_AS_ABSENT.includes(f))).map((field) => ({ ...command.body(), [field]: null })) },
    { weight: 8, arbitrary: fc.constantFrom(...Object.keys(command.bad)).chain((field) => command.bad[field].map((value) => ({ ...command.body(), [field]: value }))) },
    { weight: 2, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 16 }), fc.jsonValue({ maxDepth: 1 })).filter(([name]) => !Object.hasOwn(command.bad, name)).map(([name, value]) => ({ ...command.body(), [name]: value })) },
    { weight: 1, arbitrary: nonObject.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).filter((s) => !isJson(s)) },
  );

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

let world: BadInputWorld;
let service: TestService;
let statementId: string;
const lastPosition = () => world.lastPosition();
const expectRefused = (answer: Answer, status: number, before: number) => world.expectRefused(answer, status, before);
const path = (p: string) => p.replace(STATEMENT, statementId);

beforeAll(async () => {
  world = await badInputWorld();
  ({ service, statementId } = world);
});
afterAll(() => service.close());

describe('reliability: generated bad bodies and headers at every command', () => {
  it.each(COMMANDS.map((command) => [command.path.replace(STATEMENT, '{id}'), command] as const))('refuses invalid bodies at POST %s with 400, writing nothing', async (_, command) => {
    const before = await lastPosition();
    const bodies = invalidBody(command);
    await check(fc.asyncProperty(bodies, async (body) => expectRefused(await service.post(path(command.path), body, command.as), 400, before)), 150);
  });

  it('refuses bad headers at every command (401, 403, 415, 400, 413), writing nothing', async () => {
    const before = await lastPosition();
    const below: Record<KeyRole, KeyRole> = { recorder: 'reader', editor: 'recorder', admin: 'editor', reader: 'reader' };
    const headerCases = fc.oneof(
      fc.constantFrom<[Record<string, string>, number, 'none' | 'below' | 'own']>([{}, 401, 'none'], [{ authorization: 'Bearer nope' }, 401, 'none'], [{ authorization: 'Basic dGVzdA==' }, 401, 'none'], [{ authorization: 'Bearer' }, 401, 'none'], [{}, 403, 'below']),
      fc.string({ minLength: 1, maxLength: 40 }).map((key): [Record<string, string>, number, 'none'] => [{ authorization: `Bearer ${key.replace(/\s/g, 'x')}x` }, 401, 'none']),
      fc.constantFrom('text/plain', 'text/html', 'application/xml', 'application/octet-stream', 'multipart/form-data; boundary=x').map((type): [Record<string, string>, number, 'own'] => [{ 'content-type': type }, 415, 'own']),
      fc.oneof(fc.constant(''), fc.constant('k'.repeat(129)), fc.string({ unit: fc.constantFrom('é', '\u00ff', 'ä'), minLength: 1, maxLength: 5 })).map((key): [Record<string, string>, number, 'own'] => [{ 'idempotency-key': key }, 400, 'own']),
    );
    const arb = fc.tuple(fc.constantFrom(...COMMANDS), headerCases);
    await check(
      fc.asyncProperty(arb, async ([command, [headers, status, who]]) => {
        const as = who === 'none' ? null : who === 'below' ? below[command.as] : command.as;
        const type = headers['content-type'];
        const body = type ? 'x' : command.body();
        await expectRefused(await service.post(path(command.path), body, as, headers), status, before);
      }),
      300,
    );
    await expectRefused(await service.post('/api/statements', COMMANDS[5].body(), 'recorder', { 'if-match': '1.5' }), 400, before);
    await expectRefused(await service.post('/api/actors', { ...COMMANDS[0].body(), name: 'x'.repeat(70_000) }), 413, before);
    await expectRefused(await service.post('/api/projections/statements/rebuild', undefined, 'editor'), 403, before);
  });
});

describe('reliability: bad input that once found bugs', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  // Bodies are JSON (docs/api.md, "Basics"). Nest's Fastify adapter also parses forms, so this one is written.
  it('a form-encoded command is refused with 415, writing nothing', async () => {
    const form = new URLSearchParams(COMMANDS[0].body() as Record<string, string>).toString();
    await expectRefused(await service.post('/api/actors', form, 'recorder', { 'content-type': 'application/x-www-form-urlencoded' }), 415, await lastPosition());
  });
  // Nest's ValidationPipe deletes `__proto__`, `prototype` and `constructor` keys, and class-transformer skips
  // keys named like Object.prototype members (toString, valueOf, ...): the whitelist never sees them.
  it.each(['prototype', 'constructor', 'toString'])('a command with an unknown field named "%s" is refused with 400, writing nothing', async (name) => {
    await expectRefused(await service.post('/api/actors', { ...COMMANDS[0].body(), [name]: 'x' }), 400, await lastPosition());
  });
  // `null` passes @IsOptional, then isHttpUrl(null) / toSource(null) throw a TypeError: 500.
  it('a statement whose source.url is null is a 400, not a 500', async () => {
    await expectRefused(await service.post('/api/statements', { ...COMMANDS[5].body(), source: { title: 'T', url: null } }), 400, await lastPosition());
  });
  it('a correction whose changes.source is null is a 400, not a 500', async () => {
    await expectRefused(await service.post(path(COMMANDS[6].path), { changes: { source: null }, reason: 'R' }, 'editor'), 400, await lastPosition());
  });
  it('a correction whose changes.stance is null is a 400 (a wrong type), not a 422', async () => {
    await expectRefused(await service.post(path(COMMANDS[6].path), { changes: { stance: null }, reason: 'R' }, 'editor'), 400, await lastPosition());
  });
  // A 10 KB body nested 5,000 deep overflows class-transformer's (and canonicalJson's) recursion: RangeError, 500.
  it('a deeply nested body (5,000 levels, well under 64 KiB) is a 400, not a 500', async () => {
    await expectRefused(await service.post('/api/actors', `{"id":"deep","name":"D","kind":"person","extra":${deep(5000)}}`), 400, await lastPosition());
  });
});
