import { type BenchResult, log, percentile } from '../support/measure';
import { seedActorsAndTopics } from '../support/seed';
import { actorId, STANCES, topicId } from '../support/dataset';
import { BENCH_KEY, startService } from '../support/service';

const CLIENTS = 200;

const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / 1024 / 1024, heap: heapUsed / 1024 / 1024 };
};

/** One stream client counting messages and noting when each actor's change reached it. */
async function streamClient(url: string, arrived: (actor: string) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${url}/api/stream?types=position-changed`, { headers: { accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const match of decoder.decode(chunk, { stream: true }).matchAll(/"actorId":"(actor-\d+)"/g)) arrived(match[1]);
      }
    } catch {
      // aborted at the end
    }
  })();
}

/**
 * 200 stream clients on one service (a fresh one, in this process), then `statements` changes
 * recorded 8 at a time: messages fanned out per second, and the delay from sending a command
 * to each client's receipt of its message (p99), with the memory before and after.
 */
export async function watchWorkload(statements: number): Promise<BenchResult[]> {
  const service = await startService();
  const abort = new AbortController();
  try {
    await seedActorsAndTopics(service.app, { actors: statements, topics: 1 });
    const sent = new Map<string, number>();
    const delays: number[] = [];
    let received = 0;
    const arrived = (actor: string) => {
      received += 1;
      const at = sent.get(actor);
      if (at !== undefined) delays.push(performance.now() - at);
    };
    for (let i = 0; i < CLIENTS; i++) await streamClient(service.url, arrived, abort.signal);
    const before = memory();
    const started = performance.now();
    const record = async (i: number) => {
      const body = { actorId: actorId(i), topicId: topicId(0), stance: STANCES[i % 5].code, statedOn: '2025-01-01', summary: `Watch ${i}`, source: { title: 'Watch' } };
      sent.set(actorId(i), performance.now());
      const answer = await fetch(`${service.url}/api/statements`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` } });
      await answer.text();
    };
    for (let from = 0; from < statements; from += 8) await Promise.all(Array.from({ length: Math.min(8, statements - from) }, (_, k) => record(from + k)));
    const expected = statements * CLIENTS;
    const deadline = performance.now() + 60_000;
    while (received < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    const after = memory();
    const p99 = percentile([...delays].sort((a, b) => a - b), 99);
    log(`watch: ${CLIENTS} clients, ${statements} changes, ${received}/${expected} messages in ${seconds.toFixed(1)} s, p99 ${p99.toFixed(1)} ms, heap ${Math.round(before.heap)} → ${Math.round(after.heap)} MiB`);
    const notes = `${CLIENTS} clients, ${statements} changes 8 at a time, ${received}/${expected} delivered; clients in the service's process; RSS ${Math.round(before.rss)} → ${Math.round(after.rss)} MiB, heap ${Math.round(before.heap)} → ${Math.round(after.heap)} MiB`;
    return [
      { name: 'stream fan-out', value: received / seconds, unit: 'messages/s', baseline: null, baselineValue: null, ratio: null, notes },
      { name: 'stream command→message p99', value: p99, unit: 'ms', baseline: null, baselineValue: null, ratio: null, notes },
      { name: 'stream heap growth', value: after.heap - before.heap, unit: 'MiB', baseline: null, baselineValue: null, ratio: null, target: 'bounded', notes },
    ];
  } finally {
    abort.abort();
    await service.close();
  }
}
