import type { INestApplicationContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { PositionAtQuery } from '@positions/application/read';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCliConfig } from '../../apps/cli/src/cli-config';
import { withQueries } from '../../apps/cli/src/cli-context';
import { actorId, random, type Shape, topicId } from '../support/dataset';
import { type BenchResult, log, percentile, timesOf } from '../support/measure';
import { STORE } from '../support/store';
import { importStatements, storeWithActorsAndTopics } from './import';

/** The large record is imported in files of at most this many statements, as a newsroom would bring in batches. */
const CHUNK = 1_000_000;
/** Questions per store and round; rounds alternate between the stores, so both meet the same machine. */
const ROUND = 2_000;
const ROUNDS = 10;

/** Each store's application as `positions position` opens it: the read-only module (the same handler and views as the service). */
function withStoreQuestions<T>(dataDir: string, work: (queries: QueryBus) => Promise<T>): Promise<T> {
  return withQueries(loadCliConfig({ dataDir }, {}), (app: INestApplicationContext) => work(app.get(QueryBus)));
}

/**
 * In-process `position-at` times (ms) on each store, asked the same random questions on topic-0
 * (every actor has statements there at both sizes, so each question has an answer to find):
 * a warm-up of 5,000 each, then rounds of 2,000 that alternate between the stores.
 */
function positionAtTimes(smallDir: string, largeDir: string, shape: Shape): Promise<number[][]> {
  const ask = (bus: QueryBus, next: () => number) =>
    bus.execute(new PositionAtQuery(actorId(Math.floor(next() * shape.actors)), topicId(0), `${2015 + Math.floor(next() * 10)}-06-15`));
  const measure = async (buses: QueryBus[]): Promise<number[][]> => {
    const times: number[][] = buses.map(() => []);
    for (const bus of buses) {
      const next = random(7);
      await timesOf(5000, () => ask(bus, next));
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, bus] of buses.entries()) {
        const next = random(11 + round);
        times[i].push(...(await timesOf(ROUND, () => ask(bus, next))));
      }
    }
    return times;
  };
  return withStoreQuestions(smallDir, (small) => withStoreQuestions(largeDir, (large) => measure([small, large])));
}

/**
 * `npm run bench -- --growth`: does a question cost the same on a record a hundred times
 * larger? Builds `small` statements, keeps a copy of that store, imports up to `large` in files
 * of a million, then asks both stores the same position-at questions in alternating rounds (so
 * load from elsewhere on the machine falls on both). Long (the import of millions of
 * statements); never run in CI. On the embedded store only: the copy is of a data folder.
 */
export async function growthWorkload(small: Shape, large: number): Promise<BenchResult[]> {
  if (STORE !== 'sqlite') throw new Error('--growth runs on the embedded store only (it copies the small data folder)');
  const { dir, dataDir } = await storeWithActorsAndTopics(small);
  await importStatements(dir, dataDir, small);
  const smallDir = join(dir, 'small');
  cpSync(dataDir, smallDir, { recursive: true });
  for (let from = small.statements; from < large; from += CHUNK) {
    const count = Math.min(CHUNK, large - from);
    const seconds = await importStatements(dir, dataDir, { ...small, statements: count, from, seed: small.seed + 1 + from / CHUNK });
    log(`growth: ${(from + count).toLocaleString('en-US')} of ${large.toLocaleString('en-US')} statements (${Math.round(count / seconds)}/s for this part)`);
  }
  const [before, after] = (await positionAtTimes(smallDir, dataDir, small)).map((times) => percentile(times, 99));
  log(`growth: position-at p99 ${before.toFixed(3)} ms at ${small.statements} statements, ${after.toFixed(3)} ms at ${large}`);
  rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: 'growth: position-at p99',
      value: after,
      unit: 'ms',
      baseline: `the same at ${small.statements.toLocaleString('en-US')} statements`,
      baselineValue: before,
      ratio: before / after,
      target: 'ratio ≥ 0.83 (≤ 1.2 × the small record)',
      notes: `${large.toLocaleString('en-US')} statements, in process (read-only module, as \`positions position\`), ${ROUNDS} alternating rounds of ${ROUND} questions per store`,
    },
  ];
}
