import type { PositionEvent } from '@positions/domain';
import { notingPrepares, ofPosition, positionStated, projectionSpec, recordingStore } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

const stated = (actorId: string, topicId: string, statementId: string) => ofPosition(actorId, topicId, positionStated({ statementId, stance: 'support', statedOn: '2025-02-20' }));
const retracted = (actorId: string, topicId: string, statementId: string) =>
  ofPosition(actorId, topicId, { type: 'StatementRetracted', data: { statementId, reason: 'misattributed' } } as PositionEvent);

describe('speakers per topic (given statements, then how many actors spoke on each topic)', () => {
  it('given several statements by one actor, a retraction and two topics, then each topic counts each actor once, retracted ones included', () =>
    projectionSpec()
      .given([
        stated('donald-trump', 'tariffs', 's1'),
        stated('donald-trump', 'tariffs', 's2'),
        stated('marco-rubio', 'tariffs', 's3'),
        retracted('marco-rubio', 'tariffs', 's3'),
        stated('marco-rubio', 'sanctions', 's4'),
      ])
      .thenAnswer((read) => expect(Object.fromEntries(read.topicSpeakerCounts())).toEqual({ tariffs: 2, sanctions: 1 })));

  it('given no statement, then no topic has a count', () => projectionSpec().given([]).thenAnswer((read) => expect(read.topicSpeakerCounts().size).toBe(0)));

  it('given 300 statements, then counting reads one row per topic and none of the statements', async () => {
    const { store, append } = recordingStore();
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 50);
    await runner.start(0);
    await runner.waitFor(await append(Array.from({ length: 300 }, (_, i) => stated(`actor-${i % 30}`, `topic-${i % 3}`, `s${i}`))));
    const prepared: string[] = [];

    expect(Object.fromEntries(new ReadModels(notingPrepares(db, prepared), runner).topicSpeakerCounts())).toEqual({ 'topic-0': 10, 'topic-1': 10, 'topic-2': 10 });
    // At 1,000,000 statements, counting distinct actors in the statements index took ~110 ms of the event loop.
    expect(prepared.join('\n')).not.toMatch(/statement_versions/);
    runner.stop();
  });
});
