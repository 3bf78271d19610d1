import { PositionAtQuery } from '@positions/application';
import { QueryBus } from '@nestjs/cqrs';
import { actorId, random, type Shape, topicId } from '../support/dataset';
import { type BenchResult, log, percentile, timesOf } from '../support/measure';
import { settled, startService } from '../support/service';
import { importStatements, storeWithActorsAndTopics } from './import';

/** In-process `position-at` p99 (ms) on the store in `dataDir`, 20,000 random questions on topic-0. */
async function positionAtP99(dataDir: string, shape: Shape): Promise<number> {
  const service = await startService(dataDir);
  try {
    await settled();
    const queries = service.app.get(QueryBus);
    const next = random(11);
    // Every actor has statements on topic-0 at both sizes: each question has an answer to find,
    // where a random topic would mostly ask the small record for a position it does not hold.
    const ask = () => new PositionAtQuery(actorId(Math.floor(next() * shape.actors)), topicId(0), `${2015 + Math.floor(next() * 10)}-06-15`);
    await timesOf(5000, () => queries.execute(ask()));
    return percentile(await timesOf(20_000, () => queries.execute(ask())), 99);
  } finally {
    await service.close();
  }
}

/**
 * `npm run bench -- --growth`: does a question cost the same on a record a hundred times
 * larger? position-at p99 at `small` statements, then after importing up to `large`. Long (the
 * import of millions of statements); never run in CI.
 */
export async function growthWorkload(small: Shape, large: number): Promise<BenchResult[]> {
  const { dir, dataDir } = await storeWithActorsAndTopics(small);
  await importStatements(dir, dataDir, small);
  const before = await positionAtP99(dataDir, small);
  log(`growth: position-at p99 ${before.toFixed(3)} ms at ${small.statements} statements; importing up to ${large}`);
  await importStatements(dir, dataDir, { ...small, statements: large - small.statements, seed: small.seed + 1 });
  const after = await positionAtP99(dataDir, small);
  log(`growth: position-at p99 ${after.toFixed(3)} ms at ${large} statements`);
  return [
    {
      name: 'growth: position-at p99',
      value: after,
      unit: 'ms',
      baseline: `the same at ${small.statements.toLocaleString('en-US')} statements`,
      baselineValue: before,
      ratio: before / after,
      target: 'ratio ≥ 0.83 (≤ 1.2 × the small record)',
      notes: `${large.toLocaleString('en-US')} statements, in process`,
    },
  ];
}
