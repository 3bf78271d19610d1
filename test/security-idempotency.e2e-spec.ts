import { startService, type TestService } from './support/app-harness';
import { expectError, expectNothingWritten, ok } from './support/world';

describe('Idempotency-Key: bound to the key (principal) that used it', () => {
  let service: TestService;

  beforeAll(async () => (service = await startService()));
  afterAll(() => service.close());

  const actor = { id: 'idem-bound', name: 'Bound', kind: 'person' };
  const key = { 'idempotency-key': 'predictable-key-1' };

  it("refuses another principal's reuse with 409, even with the same body, writing nothing and showing nothing of the first answer", async () => {
    await ok(service.post('/api/actors', actor, 'recorder', key));
    await expectNothingWritten(service, async () => {
      const answer = await service.post('/api/actors', actor, 'editor', key);
      expectError(answer, 409, 'Idempotency-Key');
      expect(answer.body).not.toHaveProperty('id');
    });
  });

  it("answers the first principal's retries as the first time, whoever tried the key in between", async () => {
    const retry = await service.post('/api/actors', actor, 'recorder', key);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject(actor);
  });

  it('lets another principal take a key no one used yet, and holds it against the first', async () => {
    await ok(service.post('/api/actors', { ...actor, id: 'idem-bound-2' }, 'editor', { 'idempotency-key': 'predictable-key-2' }));
    expectError(await service.post('/api/actors', { ...actor, id: 'idem-bound-2' }, 'recorder', { 'idempotency-key': 'predictable-key-2' }), 409);
  });
});
