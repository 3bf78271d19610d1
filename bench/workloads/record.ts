import { actorId, STANCES, topicId } from '../support/dataset';
import { load } from '../support/load';
import { type BenchResult, interleaved, log } from '../support/measure';
import { rawSingleRowCommits } from '../support/raw';
import { seedActorsAndTopics } from '../support/seed';
import { BENCH_KEY, startService } from '../support/service';

const ACTORS = 200;
const TOPICS = 5;

/** Statements recorded over HTTP by 32 concurrent clients, each answer durable and the views in step. */
export async function recordWorkload(seconds: number, rounds: number): Promise<BenchResult> {
  const service = await startService();
  try {
    await seedActorsAndTopics(service.app, { actors: ACTORS, topics: TOPICS });
    const bodies = Array.from({ length: ACTORS * TOPICS }, (_, i) =>
      JSON.stringify({
        actorId: actorId(i % ACTORS),
        topicId: topicId(Math.floor(i / ACTORS)),
        stance: STANCES[i % STANCES.length].code,
        statedOn: '2025-02-26',
        summary: `Benchmark statement ${i}: no sanctions lifted for now, may be lifted at some point`,
        quote: 'We have not lifted any sanctions on anybody',
        source: { url: `https://example.org/news/${i}`, title: 'Benchmark report', publisher: 'Example News', publishedOn: '2025-02-26' },
      }),
    );
    const row = JSON.stringify({ statementId: 'x'.repeat(36), ...JSON.parse(bodies[0]) });
    const spec = { url: service.url, connections: 32, duration: seconds, method: 'POST' as const, headers: { authorization: `Bearer ${BENCH_KEY}` }, paths: ['/api/statements'], bodies };
    let errors = 0;
    const { value, baselineValue } = await interleaved(
      rounds,
      async () => {
        const result = await load(spec);
        errors += result.errors + result.non2xx + result.timeouts;
        log(`record: ${Math.round(result.requestsPerSecond)} statements/s (p99 ${result.p99} ms)`);
        return result.requestsPerSecond;
      },
      async () => {
        const rate = rawSingleRowCommits(seconds, row);
        log(`record baseline: ${Math.round(rate)} single-row commits/s`);
        return rate;
      },
    );
    return {
      name: 'record',
      value,
      unit: 'statements/s',
      baseline: 'raw better-sqlite3, one row per transaction, synchronous=FULL',
      baselineValue,
      ratio: value / baselineValue,
      target: 'ratio ≥ 1.0',
      notes: `32 connections, ${errors} errors`,
    };
  } finally {
    await service.close();
  }
}
