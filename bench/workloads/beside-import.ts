import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { actorId, type Shape, STANCES, topicId } from '../support/dataset';
import { type BenchResult, log } from '../support/measure';
import { BENCH_KEY, settled, startService } from '../support/service';
import { cli, storeWithActorsAndTopics, writeCsv } from './import';

/**
 * A client on a thread of its own (its timers are not those of the service's event loop): every
 * 200 ms it asks a position and records a statement, and when told to stop it answers each one's
 * latencies, in ms, and the count of failed requests.
 */
const PROBE = `
const { parentPort, workerData: { url, key, actors, topics, stances } } = require('node:worker_threads');
const latencies = { get: [], post: [] };
let failed = 0;
let stop = false;
parentPort.on('message', () => (stop = true));
const timed = async (list, request) => {
  const started = performance.now();
  try {
    const answer = await request();
    await answer.arrayBuffer();
    if (!answer.ok) failed++;
  } catch {
    failed++;
  }
  list.push(performance.now() - started);
};
(async () => {
  const headers = { authorization: 'Bearer ' + key };
  for (let i = 0; !stop; i++) {
    const [actor, topic] = [actors[i % actors.length], topics[i % topics.length]];
    await timed(latencies.get, () => fetch(url + '/api/actors/' + actor + '/positions/' + topic + '?at=2025-06-15', { headers }));
    const body = { actorId: actor, topicId: topic, stance: stances[i % stances.length], statedOn: '2025-02-26', summary: 'Beside an import ' + i, source: { title: 'Probe' } };
    await timed(latencies.post, () => fetch(url + '/api/statements', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  parentPort.postMessage({ ...latencies, failed });
})();
`;

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;
const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

/**
 * The service while a CLI import of the shape's statements writes into its data folder (it builds
 * the views anew, decision 0041): how long the service's event loop stood still (its own
 * `monitorEventLoopDelay`), and what a client asking a position and recording a statement every
 * 200 ms waited. No request may stall the service; a write may wait for the log's lock, between
 * turns, up to the busy timeout (decision 0043).
 */
export async function besideImportWorkload(shape: Shape): Promise<BenchResult[]> {
  const { dir, dataDir } = await storeWithActorsAndTopics(shape);
  const csv = join(dir, 'statements.csv');
  log(`beside-import: writing a ${shape.statements}-statement CSV`);
  await writeCsv(csv, shape);
  const service = await startService(dataDir);
  try {
    await settled();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const probe = new Worker(PROBE, {
      eval: true,
      workerData: { url: service.url, key: BENCH_KEY, actors: [0, 1, 2, 3, 4].map(actorId), topics: [0, 1].map(topicId), stances: STANCES.map((s) => s.code) },
    });
    const probed = new Promise<{ get: number[]; post: number[]; failed: number }>((resolve, reject) => probe.once('message', resolve).once('error', reject));
    log('beside-import: importing through the CLI while the service answers a client');
    const seconds = await cli(dataDir, ['import', csv]);
    probe.postMessage('stop');
    const { get, post, failed } = await probed;
    await probe.terminate();
    delay.disable();
    const [loopMax, loopP99] = [delay.max / 1e6, delay.percentile(99) / 1e6];
    log(`beside-import: import ${seconds.toFixed(1)} s; event loop delay p99 ${loopP99.toFixed(0)} ms, max ${loopMax.toFixed(0)} ms; position p99 ${p99(get).toFixed(0)} ms (max ${max(get).toFixed(0)}), record p99 ${p99(post).toFixed(0)} ms (max ${max(post).toFixed(0)}), ${failed} failed`);
    const notes = `${shape.statements} statements imported beside the service in ${seconds.toFixed(1)} s; ${get.length} positions, ${post.length} statements asked, ${failed} failed`;
    return [
      { name: 'beside-import event loop delay', value: loopMax, unit: 'ms (max)', baseline: null, baselineValue: null, ratio: null, target: 'no stall', notes: `p99 ${loopP99.toFixed(0)} ms; ${notes}` },
      { name: 'beside-import position p99', value: p99(get), unit: 'ms', baseline: null, baselineValue: null, ratio: null, target: 'no stall', notes: `max ${max(get).toFixed(0)} ms` },
      { name: 'beside-import record p99', value: p99(post), unit: 'ms', baseline: null, baselineValue: null, ratio: null, target: '0 failed', notes: `max ${max(post).toFixed(0)} ms (the log's lock waited for up to 5 s), ${failed} failed` },
    ];
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
