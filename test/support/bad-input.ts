import { sanctionsReliefBody } from '@positions/testing';
import { type Answer, startService, type TestService } from './app-harness';

/** What the bad-input properties share: a small world, its log position, and one strict check. */
export interface BadInputWorld {
  service: TestService;
  statementId: string;
  lastPosition(): Promise<number>;
  /** The API's error shape, the expected status, and nothing written since `before`. */
  expectRefused(answer: Answer, status: number, before: number): Promise<void>;
}

export async function badInputWorld(): Promise<BadInputWorld> {
  const service = await startService({ env: { RATE_LIMIT: '0' } });
  const ok = async (p: Promise<Answer>) => expect((await p).status).toBe(201);
  await ok(service.post('/api/actors', { id: 'org', name: 'Org', kind: 'organization' }));
  await ok(service.post('/api/actors', { id: 'speaker', name: 'Speaker', kind: 'person' }));
  await ok(service.post('/api/actors/speaker/affiliations', { organizationId: 'org', role: 'Open role', from: '2020-01-01', speaksFor: true }));
  await ok(service.post('/api/topics', sanctionsReliefBody()));
  const recorded = await service.post('/api/statements', { actorId: 'speaker', topicId: 'russia-sanctions-relief', stance: 'not-yet', summary: 'S', statedOn: '2024-05-01', source: { title: 'T' } });
  expect(recorded.status).toBe(201);
  const lastPosition = async () => (await service.get('/health', null)).body.details.store.lastPosition as number;
  const expectRefused = async (answer: Answer, status: number, before: number) => {
    const body = answer.body ?? {};
    const shapeOk =
      Object.keys(body).sort().join() === 'details,error,message,statusCode' && body.statusCode === answer.status && typeof body.message === 'string' && typeof body.error === 'string' && Array.isArray(body.details) &&
      body.details.every((d: any) => Object.keys(d).sort().join() === 'field,problem' && typeof d.field === 'string' && typeof d.problem === 'string');
    if (!shapeOk || answer.status !== status) throw new Error(`expected ${status} in the error shape, got ${answer.status}: ${JSON.stringify(body)}`);
    expect(await lastPosition()).toBe(before);
  };
  return { service, statementId: recorded.body.statementId, lastPosition, expectRefused };
}
