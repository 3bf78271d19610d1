import { rmSync } from 'node:fs';
import { sanctionsReliefBody, statementBody } from '@positions/testing';
import { type ServiceProcess, startProcess } from './support/process-service';
import { openStream } from './support/sse-client';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver';
import { sleep, TOPIC } from './support/world';

/*
 * The service as a process, killed with SIGKILL while it delivers: after a restart on the same
 * data folder, delivery resumes from the webhook's checkpoint (at least once, never skipped),
 * and a stream client resuming with Last-Event-ID gets exactly what it missed.
 */

const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true' };
const CHANGES = 200;

async function posted(service: ServiceProcess, path: string, body: unknown, as: 'recorder' | 'admin' = 'recorder') {
  const answer = await service.post(path, body, as);
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Alternating stances on ever later days: each statement moves the current position. */
const change = (actorId: string, i: number) =>
  statementBody({ actorId, topicId: TOPIC, stance: i % 2 ? 'tighten' : 'not-yet', statedOn: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10) });

describe('watching across a SIGKILL', () => {
  let service: ServiceProcess | null = null;
  let receiver: WebhookReceiver;

  afterEach(async () => {
    if (service) await service.kill('SIGKILL');
    await receiver.close();
    if (service) rmSync(service.dataDir, { recursive: true, force: true });
  });

  it(`redelivers from the checkpoint after a SIGKILL: every one of ${CHANGES} changes received at least once, in log order`, async () => {
    receiver = await startReceiver();
    // Slow while the changes are recorded, so the kill lands with most of them undelivered.
    receiver.delayMs = 1000;
    service = await startProcess({ env: ENV, readyTimeoutMs: 90_000 });
    await posted(service, '/api/topics', sanctionsReliefBody());
    await posted(service, '/api/actors', { id: 'mover', name: 'Mover', kind: 'person' });
    const hook = await posted(service, '/api/webhooks', { url: receiver.url, actorId: 'mover' }, 'admin');
    const positions: number[] = [];
    for (let i = 0; i < CHANGES; i++) positions.push((await posted(service, '/api/statements', change('mover', i))).position);
    receiver.delayMs = 20;
    await receiver.waitForDelivered(CHANGES / 4, 90_000);
    const dataDir = service.dataDir;
    await service.kill('SIGKILL');
    expect(receiver.deliveries.length).toBeLessThan(CHANGES);
    service = await startProcess({ env: ENV, dataDir, readyTimeoutMs: 90_000 });
    const received = () => receiver.deliveries.filter((d) => d.status === 200).map((d) => JSON.parse(d.body).position as number);
    const deadline = Date.now() + 90_000;
    while (!positions.every((p) => received().includes(p)) && Date.now() < deadline) await sleep(100);
    expect(positions.filter((p) => !received().includes(p))).toEqual([]);
    // In log order: each delivery after the first of the restart is later than the one before.
    const order = received();
    const backwards = order.filter((p, i) => i > 0 && p < order[i - 1]);
    expect(backwards.length).toBeLessThanOrEqual(1);
    const { body } = await service.get(`/api/webhooks/${hook.id}`, 'admin');
    expect(body).toMatchObject({ state: 'active', deliveredThrough: positions.at(-1) });
  }, 300_000);

  it('gives a stream client resuming with Last-Event-ID after a SIGKILL exactly the messages it missed', async () => {
    receiver = await startReceiver();
    service = await startProcess({ env: ENV, readyTimeoutMs: 90_000 });
    await posted(service, '/api/topics', sanctionsReliefBody());
    await posted(service, '/api/actors', { id: 'mover', name: 'Mover', kind: 'person' });
    const client = await openStream(`${service.url}/api/stream?actorId=mover`);
    const early = [await posted(service, '/api/statements', change('mover', 0)), await posted(service, '/api/statements', change('mover', 1))];
    const seen = await client.waitFor(2, 60_000);
    client.close();
    const missed = [];
    for (let i = 2; i < 6; i++) missed.push(await posted(service, '/api/statements', change('mover', i)));
    const dataDir = service.dataDir;
    await service.kill('SIGKILL');
    service = await startProcess({ env: ENV, dataDir, readyTimeoutMs: 90_000 });
    const again = await openStream(`${service.url}/api/stream?actorId=mover`, { 'last-event-id': seen[1].id });
    await again.waitFor(missed.length, 60_000);
    await sleep(500);
    again.close();
    expect(seen.map((m) => Number(m.id))).toEqual(early.map((e) => e.position));
    expect(again.messages.map((m) => Number(m.id))).toEqual(missed.map((m) => m.position));
  }, 300_000);
});
