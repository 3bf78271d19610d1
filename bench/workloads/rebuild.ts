import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type BenchResult, log } from '../support/measure';
import { STORE, storeEnv } from '../support/store';

interface RebuildRun {
  events: number;
  seconds: number;
  rate: number;
  maxRssMiB: number;
  baseline: number;
}

function runWorker(dataDir: string): Promise<RebuildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'support', 'rebuild-worker.js'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...storeEnv(dataDir) } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim()) as RebuildRun) : reject(new Error(`rebuild worker exited with ${code}`))));
  });
}

/** Every view rebuilt from the whole log (on the data folder's store), against a raw build of the statements index from the same log (indexes after the load). */
export async function rebuildWorkload(dataDir: string): Promise<BenchResult[]> {
  const run = await runWorker(dataDir);
  log(`rebuild: ${run.events} events in ${run.seconds.toFixed(1)} s (${Math.round(run.rate)}/s), peak RSS ${Math.round(run.maxRssMiB)} MiB; baseline ${Math.round(run.baseline)}/s`);
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
