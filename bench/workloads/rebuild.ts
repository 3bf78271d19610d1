import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type BenchResult, log } from '../support/measure';
import { STORE, storeEnv } from '../support/store';

interface RebuildRun {
  events: number;
  seconds: number;
  rate: number;
  maxRssMiB: number;
}

/** The worker in `mode` (`rebuild`, or `baseline`: the raw build alone), each in a process of its own so that each peak RSS is its own. */
function runWorker<T>(dataDir: string, mode: 'rebuild' | 'baseline'): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'support', 'rebuild-worker.js'), dataDir, mode], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...storeEnv(dataDir) } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim()) as T) : reject(new Error(`rebuild worker exited with ${code}`))));
  });
}

/** Every view rebuilt from the whole log (on the data folder's store), against a raw build of the statements index from the same log (indexes after the load). */
export async function rebuildWorkload(dataDir: string): Promise<BenchResult[]> {
  const { baseline, baselineMaxRssMiB } = await runWorker<{ baseline: number; baselineMaxRssMiB: number }>(dataDir, 'baseline');
  const run = { ...(await runWorker<RebuildRun>(dataDir, 'rebuild')), baseline };
  log(`rebuild: ${run.events} events in ${run.seconds.toFixed(1)} s (${Math.round(run.rate)}/s), peak RSS ${Math.round(run.maxRssMiB)} MiB; baseline ${Math.round(baseline)}/s (peak RSS ${Math.round(baselineMaxRssMiB)} MiB)`);
  return [
    {
      name: 'rebuild',
      value: run.rate,
      unit: 'events/s',
      baseline: STORE === 'postgres' ? 'raw sequential read + JSON.parse of the same log from PostgreSQL, 5,000 rows a query' : 'raw build of the statements index from the same log, indexes created after the load',
      baselineValue: run.baseline,
      ratio: run.rate / run.baseline,
      target: 'ratio ≥ 0.5',
      notes: `${run.events} events, every view`,
    },
    { name: 'rebuild peak RSS', value: run.maxRssMiB, unit: 'MiB', baseline: null, baselineValue: null, ratio: null, target: '≤ 256 MiB' },
  ];
}
