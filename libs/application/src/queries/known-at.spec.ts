import { ALL_PROJECTIONS, openViewsDatabase, ProjectionRunner, ReadModels } from '@positions/projections';
import { ofPosition, positionStated, recordingStore, seedHistory } from '@positions/testing';
import { PositionAtHandler } from './position-at.query';
import { TopicLandscapeHandler } from './landscape.queries';

/*
 * Answers reproducible to the millisecond: with `knownAt` omitted, the answer echoes a
 * `knownAt` that, asked again, gives the same answer, even while events recorded by then are
 * not taken in yet (a commit in flight, another process's writes). Clocks are injected; the
 * runner is caught up by hand, never by timing.
 */

const TOPIC = 'russia-sanctions-relief';

async function twoInstances() {
  const { store, append } = recordingStore('2025-03-01T10:00:00.000Z');
  await append(seedHistory());
  const instance = async () => {
    const db = openViewsDatabase(':memory:');
    // Never started: it takes in the log only when the test says so.
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS);
    await runner.catchUp();
    return { runner, read: new ReadModels(db, runner) };
  };
  return { append, writer: await instance(), follower: await instance() };
}

describe('knownAt omitted: an answer reproducible from the knownAt it echoes', () => {
  const now = () => new Date('2025-03-09T12:00:00.000Z');

  it('given events another instance recorded that this one has not taken in, then it echoes the recordedAt of its last event, and that knownAt gives the same answer', async () => {
    const { append, follower } = await twoInstances();
    const seededUpTo = follower.runner.knownThrough();
    await append([ofPosition('marco-rubio', TOPIC, positionStated({ statementId: 'later', stance: 'tighten', statedOn: '2025-02-28' }), '2025-03-09T12:00:00.000Z')]);
    const position = new PositionAtHandler(follower.read, now);
    const answer = await position.execute({ actorId: 'marco-rubio', topicId: TOPIC, at: '2025-03-01' } as never);
    expect(answer.knownAt).toBe(new Date(seededUpTo as number).toISOString());
    expect(answer.knownAt < '2025-03-09T12:00:00.000Z').toBe(true);
    await follower.runner.catchUp();
    const again = await position.execute({ actorId: 'marco-rubio', topicId: TOPIC, at: '2025-03-01', knownAt: answer.knownAt } as never);
    expect(again).toEqual(answer);
    expect((await position.execute({ actorId: 'marco-rubio', topicId: TOPIC, at: '2025-03-01' } as never)).statement?.statementId).toBe('later');
  });

  it('given a commit stamped in the very millisecond of the question and not taken in yet, then the echoed knownAt leaves it out, asked again too', async () => {
    const { append, writer } = await twoInstances();
    await append([ofPosition('donald-trump', TOPIC, positionStated({ statementId: 'in-flight', stance: 'tighten', statedOn: '2025-02-28' }), '2025-03-09T12:00:00.000Z')]);
    const landscape = new TopicLandscapeHandler(writer.read, now);
    const answer = await landscape.execute({ topicId: TOPIC, at: '2025-03-01' } as never);
    expect(answer.knownAt).not.toBe('2025-03-09T12:00:00.000Z');
    await writer.runner.catchUp();
    expect(await landscape.execute({ topicId: TOPIC, at: '2025-03-01', knownAt: answer.knownAt } as never)).toEqual(answer);
  });

  it('given every event taken in, then it echoes the recordedAt of the last one, which includes it', async () => {
    const { append, writer } = await twoInstances();
    await append([ofPosition('donald-trump', TOPIC, positionStated({ statementId: 'last', stance: 'tighten', statedOn: '2025-02-28' }), '2025-03-09T11:00:00.000Z')]);
    await writer.runner.catchUp();
    const answer = await new PositionAtHandler(writer.read, now).execute({ actorId: 'donald-trump', topicId: TOPIC, at: '2025-03-01' } as never);
    expect(answer).toMatchObject({ knownAt: '2025-03-09T11:00:00.000Z', statement: { statementId: 'last' } });
  });
});
