import { type Answer, type KeyRole, startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, logEnd, freshPerson, ok, say, startWithTopic, statementBody, TOPIC } from './support/world';

interface Command {
  url: string;
  body: unknown;
  as: KeyRole;
}

let seq = 0;
/** One command of each kind, each with fresh ids, ready to send (the statement ones record their target first). */
const KINDS: [string, (service: TestService) => Promise<Command>][] = [
  ['register an actor', async () => ({ url: '/api/actors', body: { id: `idem-actor-${++seq}`, name: 'Idem', kind: 'government' }, as: 'recorder' })],
  ['begin an affiliation', async (s) => ({ url: `/api/actors/${await freshPerson(s)}/affiliations`, body: { organizationId: 'idem-org', role: 'Envoy', from: '2025-01-01', speaksFor: true }, as: 'recorder' })],
  ['end an affiliation', async (s) => {
    const actor = await freshPerson(s);
    await ok(s.post(`/api/actors/${actor}/affiliations`, { organizationId: 'idem-org', role: 'Envoy', from: '2025-01-01' }));
    return { url: `/api/actors/${actor}/affiliations/end`, body: { organizationId: 'idem-org', role: 'Envoy', until: '2025-02-01' }, as: 'recorder' };
  }],
  ['open a topic', async () => ({ url: '/api/topics', body: { id: `idem-topic-${++seq}`, title: 'T', proposition: 'P', stances: [{ code: 'yes', label: 'Yes', score: 1 }] }, as: 'recorder' })],
  ['add a stance', async () => ({ url: `/api/topics/${TOPIC}/stances`, body: { code: `idem-stance-${++seq}`, label: 'L', score: 0 }, as: 'recorder' })],
  ['record a statement', async (s) => ({ url: '/api/statements', body: statementBody({ actorId: await freshPerson(s), statedOn: '2025-02-18' }), as: 'recorder' })],
  ['correct a statement', async (s) => ({ url: `/api/statements/${(await say(s, await freshPerson(s), 'not-yet', '2025-02-18')).id}/corrections`, body: { changes: { stance: 'tighten' }, reason: 'r' }, as: 'editor' })],
  ['retract a statement', async (s) => ({ url: `/api/statements/${(await say(s, await freshPerson(s), 'not-yet', '2025-02-18')).id}/retractions`, body: { reason: 'r' }, as: 'editor' })],
];

const send = (service: TestService, command: Command, key: string, body = command.body) => service.post(command.url, body, command.as, { 'idempotency-key': key });
const seen = (answer: Answer) => ({ status: answer.status, body: answer.body, etag: answer.headers.etag });

async function setUp(options = {}): Promise<TestService> {
  const service = await startWithTopic(options);
  await ok(service.post('/api/actors', { id: 'idem-org', name: 'Idem org', kind: 'organization' }));
  return service;
}

describe('audit: Idempotency-Key on every command', () => {
  let service: TestService;
  beforeAll(async () => (service = await setUp()));
  afterAll(() => service.close());

  it.each(KINDS)('answers a repeat to %s as the first time, and writes nothing', async (kind, prepare) => {
    const command = await prepare(service);
    const first = await send(service, command, `repeat-${kind}`);
    expect(first.status).toBe(201);
    const repeat = await expectNothingWritten(service, () => send(service, command, `repeat-${kind}`));
    expect(seen(repeat)).toEqual(seen(first));
  });

  it.each(KINDS)('refuses the same key with another body (409) for: %s, and writes nothing', async (kind, prepare) => {
    const command = await prepare(service);
    await ok(send(service, command, `other-body-${kind}`));
    const other = await prepare(service);
    const refused = await expectNothingWritten(service, () => send(service, other, `other-body-${kind}`));
    expectError(refused, 409);
  });

  it('names one command across the whole service: the same key on another route is 409', async () => {
    const { id } = await say(service, await freshPerson(service), 'not-yet', '2025-02-18');
    await ok(service.post(`/api/statements/${id}/retractions`, { reason: 'r' }, 'editor', { 'idempotency-key': 'cross-route' }));
    const refused = await expectNothingWritten(service, () => service.post(`/api/statements/${id}/corrections`, { changes: { summary: 's' }, reason: 'r' }, 'editor', { 'idempotency-key': 'cross-route' }));
    expectError(refused, 409);
  });

  it('answers a repeat as the first time even after the record moved on', async () => {
    const command = await KINDS[0][1](service);
    const first = await send(service, command, 'moved-on');
    const actor = (command.body as { id: string }).id;
    await ok(service.post(`/api/actors/${actor}/affiliations`, { organizationId: 'idem-org', role: 'Member', from: '2025-01-01' }));
    const repeat = await expectNothingWritten(service, () => send(service, command, 'moved-on'));
    expect(seen(repeat)).toEqual(seen(first));
    expect(repeat.body.affiliations).toEqual([]);

    const statement = await KINDS[5][1](service);
    const stated = await service.post(statement.url, statement.body, 'recorder', { 'idempotency-key': 'moved-on-2', 'if-match': '-1' });
    await ok(service.post('/api/statements', { ...(statement.body as object), statedOn: '2025-02-20' }));
    // The stream moved past If-Match: -1, but a repeat is the first command's answer, not a 412.
    const again = await expectNothingWritten(service, () => service.post(statement.url, statement.body, 'recorder', { 'idempotency-key': 'moved-on-2', 'if-match': '-1' }));
    expect(seen(again)).toEqual(seen(stated));
  });

  it('stores nothing for a failed command: the same request succeeds once its cause is fixed, then repeats', async () => {
    const actor = await freshPerson(service);
    const body = statementBody({ actorId: actor, stance: 'lift-partially', statedOn: '2025-02-18' });
    const headers = { 'idempotency-key': 'fixed-later' };
    expectError(await expectNothingWritten(service, () => service.post('/api/statements', body, 'recorder', headers)), 422, 'stance');
    expectError(await service.post('/api/statements', body, 'recorder', headers), 422, 'stance');
    await ok(service.post(`/api/topics/${TOPIC}/stances`, { code: 'lift-partially', label: 'Lift some', score: 1 }));
    const fixed = await ok(service.post('/api/statements', body, 'recorder', headers));
    const repeat = await expectNothingWritten(service, () => service.post('/api/statements', body, 'recorder', headers));
    expect(seen(repeat)).toEqual(seen(fixed));
  });

  it('stores nothing for a 404 either: the statement is recorded once its actor exists', async () => {
    const body = statementBody({ actorId: 'registered-later', statedOn: '2025-02-18' });
    const headers = { 'idempotency-key': 'actor-later' };
    expectError(await service.post('/api/statements', body, 'recorder', headers), 404, 'actorId');
    await ok(service.post('/api/actors', { id: 'registered-later', name: 'Later', kind: 'person' }));
    await ok(service.post('/api/statements', body, 'recorder', headers));
  });

  it.each(KINDS.filter(([kind]) => /statement|actor$/.test(kind)))('writes once when 10 requests to %s with one key arrive in parallel', async (kind, prepare) => {
    const command = await prepare(service);
    const before = await logEnd(service);
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(service, command, `parallel-${kind}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    for (const answer of answers) expect(seen(answer)).toEqual(seen(answers[0]));
    expect((await logEnd(service)).count).toBe(before.count + 1);
  });

  it.each([
    ['129 characters', 'k'.repeat(129)],
    ['a control character', 'key\u0001with-control'],
    ['a tab', 'key\twith-tab'],
    ['a non-ASCII character', 'clé'],
  ])('refuses a key of %s (400) and writes nothing', async (_, key) => {
    const body = statementBody({ actorId: await freshPerson(service), statedOn: '2025-02-18' });
    const answer = await expectNothingWritten(service, () => service.post('/api/statements', body, 'recorder', { 'idempotency-key': key }));
    expectError(answer, 400, 'Idempotency-Key');
  });

  it('accepts a key of exactly 128 printable characters', async () => {
    const body = statementBody({ actorId: await freshPerson(service), statedOn: '2025-02-18' });
    await ok(service.post('/api/statements', body, 'recorder', { 'idempotency-key': `${'k'.repeat(120)} ~!@#$%^` }));
  });
});

describe('audit: Idempotency-Key across a restart', () => {
  it('answers a repeat after a stop and a start on the same data folder as the first time, writing nothing', async () => {
    let service = await setUp();
    const sent: { command: Command; first: ReturnType<typeof seen> }[] = [];
    for (const [kind, prepare] of KINDS) {
      const command = await prepare(service);
      sent.push({ command, first: seen(await ok(send(service, command, `restart-${kind}`))) });
    }
    const before = await logEnd(service);
    await service.stop();
    service = await startService({ dataDir: service.dataDir });
    try {
      for (const [i, [kind]] of KINDS.entries()) {
        expect({ kind, ...seen(await send(service, sent[i].command, `restart-${kind}`)) }).toEqual({ kind, ...sent[i].first });
      }
      expect(await logEnd(service)).toEqual(before);
      const other = await KINDS[0][1](service);
      expectError(await send(service, other, 'restart-register an actor'), 409);
    } finally {
      await service.close();
    }
  });
});
