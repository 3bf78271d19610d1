import { actorId, STANCES, topicId } from '../support/dataset';
import { load } from '../support/load';
import { type BenchResult, log } from '../support/measure';
import { BENCH_KEY, type BenchService } from '../support/service';

/** Resident and heap memory after a full collection, in MiB. */
const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / 1024 / 1024, heap: heapUsed / 1024 / 1024 };
};

/** A bounded mixed read/write load: it must end with zero errors and memory flat. */
export async function soakWorkload(service: BenchService, actors: number, topics: number, seconds: number): Promise<BenchResult[]> {
  const mix = Array.from({ length: 400 }, (_, i) => {
    const actor = actorId(i % actors);
    const topic = topicId(i % topics);
    if (i % 4 !== 0) return { method: 'GET' as const, path: `/api/actors/${actor}/positions/${topic}?at=2024-01-01` };
    const body = { actorId: actor, topicId: topic, stance: STANCES[i % 5].code, statedOn: '2025-01-01', summary: `Soak ${i}`, source: { title: 'Soak' } };
    return { method: 'POST' as const, path: '/api/statements', body: JSON.stringify(body) };
  });
  const before = memory();
  const result = await load({ url: service.url, connections: 32, duration: seconds, headers: { authorization: `Bearer ${BENCH_KEY}` }, paths: [], mix });
  const after = memory();
  const errors = result.errors + result.non2xx + result.timeouts;
  log(`soak: ${Math.round(result.requestsPerSecond)} req/s for ${seconds} s, ${errors} errors (${result.errors} socket, ${result.timeouts} timeouts, ${result.non2xx} non-2xx), RSS ${Math.round(before.rss)} → ${Math.round(after.rss)} MiB, heap ${Math.round(before.heap)} → ${Math.round(after.heap)} MiB`);
  return [
    { name: 'soak errors', value: errors, unit: 'errors', baseline: null, baselineValue: null, ratio: null, target: '0', notes: `${seconds} s, 32 connections, 3 reads : 1 write, ${Math.round(result.requestsPerSecond)} req/s` },
    {
      name: 'soak heap growth',
      value: after.heap - before.heap,
      unit: 'MiB',
      baseline: null,
      baselineValue: null,
      ratio: null,
      target: 'flat',
      notes: `after a full GC; RSS ${Math.round(before.rss)} → ${Math.round(after.rss)} MiB (SQLite page caches and the folded-state cache fill up to their bounds)`,
    },
  ];
}
