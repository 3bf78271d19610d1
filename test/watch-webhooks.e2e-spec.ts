import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { KEYS, type TestService } from './support/app-harness';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver';
import { expectError, freshPerson, logEnd, movableClock, ok, say, sleep, startWithTopic, wholeLog } from './support/world';

/*
 * Webhooks (docs/api.md, "Watching for changes"): registered by an admin, delivered to a real
 * receiver on 127.0.0.1, signed as Standard Webhooks sign, at least once and in log order.
 */

const ALLOW_PRIVATE = { WEBHOOK_ALLOW_PRIVATE: 'true' };

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

describe('webhooks', () => {
  let service: TestService;
  let receiver: WebhookReceiver;
  const register = (body: unknown, as: 'admin' | 'editor' = 'admin') => service.post('/api/webhooks', body, as);
  const state = (id: string) => service.get(`/api/webhooks/${id}`, 'admin');

  beforeAll(async () => {
    service = await startWithTopic({ env: ALLOW_PRIVATE });
  });
  beforeEach(async () => (receiver = await startReceiver()));
  afterEach(() => receiver.close());
  afterAll(() => service.close());

  it('delivers each message in log order, signed with the secret shown once and kept out of the log', async () => {
    const actor = await freshPerson(service);
    const { body: hook } = await ok(register({ url: receiver.url, actorId: actor }));
    expect(hook).toEqual({ id: expect.any(String), url: receiver.url, filters: { actorId: actor }, secret: expect.stringMatching(/^whsec_/) });
    const said = [];
    for (const [stance, day] of [['not-yet', '01'], ['tighten', '02'], ['no-lifting', '03'], ['not-yet', '04']] as const) said.push(await say(service, actor, stance, `2025-02-${day}`));
    const delivered = await receiver.waitForDelivered(4);
    const verifier = new Webhook(hook.secret);
    const bodies = delivered.map((d) => verifier.verify(d.body, d.headers as Record<string, string>) as any);
    expect(bodies.map((b) => [b.type, b.position, b.data.after.code])).toEqual(said.map((s, i) => ['position-changed', s.answer.body.position, ['not-yet', 'tighten', 'no-lifting', 'not-yet'][i]]));
    const last = said[3].answer.body.position;
    const { body: seen } = await until(() => state(hook.id), (a) => a.body.deliveredThrough >= last);
    expect(seen).toMatchObject({ id: hook.id, state: 'active', failures: 0, lastError: null });
    expect(JSON.stringify(await wholeLog(service))).not.toContain(hook.secret.slice(6));
    expect(statSync(join(service.dataDir, 'webhook-secrets.json')).mode & 0o777).toBe(0o600);
    expect(() => new Webhook(`whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`).verify(delivered[0].body, delivered[0].headers as Record<string, string>)).toThrow();
  });

  it('delivers a message again after the receiver answered 500, and shows the failure meanwhile', async () => {
    const actor = await freshPerson(service);
    receiver.answers = [500];
    const { body: hook } = await ok(register({ url: receiver.url, actorId: actor, types: ['position-changed'] }));
    await say(service, actor, 'not-yet', '2025-02-01');
    const { body: failing } = await until(() => state(hook.id), (a) => a.body.failures > 0);
    expect(failing).toMatchObject({ state: 'failing', failures: 1, lastError: expect.stringContaining('500') });
    const [delivered] = await receiver.waitForDelivered(1);
    expect(receiver.deliveries.map((d) => d.status)).toEqual([500, 200]);
    expect(receiver.deliveries[0].headers['webhook-id']).toBe(delivered.headers['webhook-id']);
    const { body: recovered } = await until(() => state(hook.id), (a) => a.body.state === 'active');
    expect(recovered).toMatchObject({ state: 'active', failures: 0 });
  });

  it('answers a repeat with the same Idempotency-Key as the first time, writing nothing, and a reuse with another body with 409', async () => {
    const headers = { 'idempotency-key': `hook-${Date.now()}` };
    const first = await ok(service.post('/api/webhooks', { url: receiver.url }, 'admin', headers));
    const before = await logEnd(service);
    const again = await ok(service.post('/api/webhooks', { url: receiver.url }, 'admin', headers));
    expect(again.body).toEqual(first.body);
    expect(await logEnd(service)).toEqual(before);
    expectError(await service.post('/api/webhooks', { url: `${receiver.url}/other` }, 'admin', headers), 409);
  });

  it('keeps delivering to one receiver while another is slow, and commands answer meanwhile', async () => {
    const slow = await startReceiver();
    slow.delayMs = 8000;
    try {
      const actor = await freshPerson(service);
      await ok(register({ url: slow.url, actorId: actor }));
      await ok(register({ url: receiver.url, actorId: actor }));
      for (const [stance, day] of [['not-yet', '01'], ['tighten', '02'], ['not-yet', '03']] as const) await say(service, actor, stance, `2025-02-${day}`);
      await receiver.waitForDelivered(3);
      expect(slow.deliveries).toHaveLength(0);
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('lists webhooks for an admin only, and stops one on DELETE', async () => {
    const { body: hook } = await ok(register({ url: receiver.url }));
    const { body: list } = await ok(service.get('/api/webhooks', 'admin'), 200);
    expect(list.map((w: any) => w.id)).toContain(hook.id);
    expect(list.find((w: any) => w.id === hook.id)).not.toHaveProperty('secret');
    expect((await service.get('/api/webhooks', 'editor')).status).toBe(403);
    expect((await register({ url: receiver.url }, 'editor')).status).toBe(403);
    const removed = await service.app.inject({ method: 'DELETE', url: `/api/webhooks/${hook.id}`, headers: { authorization: `Bearer ${KEYS.admin}` } });
    expect(removed.statusCode).toBe(204);
    expectError(await state(hook.id), 404);
  });

  it('refuses a URL that is not http(s), unknown fields and types, and a topic that does not exist, writing nothing', async () => {
    const before = await logEnd(service);
    expectError(await register({ url: 'ftp://example.org/hook' }), 400, 'url');
    expectError(await register({ url: 'file:///etc/passwd' }), 400, 'url');
    expectError(await register({ url: receiver.url, types: ['position-moved'] }), 400, 'types');
    expectError(await register({ url: receiver.url, secret: 'mine' }), 400);
    expectError(await register({ url: receiver.url, topicId: 'no-such-topic' }), 404);
    expect(await logEnd(service)).toEqual(before);
  });
});

describe('webhooks: private addresses', () => {
  it('refuses loopback, link-local and private targets unless WEBHOOK_ALLOW_PRIVATE=true', async () => {
    const service = await startWithTopic();
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'http://169.254.169.254/latest', 'http://10.1.2.3/', 'http://[::1]/', 'http://192.168.1.1/', 'http://[::ffff:127.0.0.1]/']) {
        expectError(await service.post('/api/webhooks', { url }, 'admin'), 422, 'url');
      }
      expect((await service.get('/api/webhooks', 'admin')).body).toEqual([]);
    } finally {
      await service.close();
    }
  });
});

describe('webhooks: the retry window', () => {
  it('disables a webhook whose receiver keeps failing for 24 hours (by the service clock)', async () => {
    const clock = movableClock(new Date().toISOString());
    const service = await startWithTopic({ env: ALLOW_PRIVATE, clock: clock.now });
    const receiver = await startReceiver();
    try {
      receiver.answers = Array(100).fill(503);
      const { body: hook } = await ok(service.post('/api/webhooks', { url: receiver.url }, 'admin'));
      await say(service, await freshPerson(service), 'not-yet', '2025-02-01');
      const state = () => service.get(`/api/webhooks/${hook.id}`, 'admin');
      await until(state, (a) => a.body.state === 'failing');
      clock.advance(25 * 60 * 60 * 1000);
      const { body: disabled } = await until(state, (a) => a.body.state === 'disabled');
      expect(disabled).toMatchObject({ state: 'disabled', lastError: expect.stringContaining('503') });
      const attempts = receiver.deliveries.length;
      await say(service, await freshPerson(service), 'tighten', '2025-02-01');
      await sleep(1500);
      expect(receiver.deliveries.length).toBe(attempts);
    } finally {
      await receiver.close();
      await service.close();
    }
  }, 60_000);
});
