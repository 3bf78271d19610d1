import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type BenchResult, log } from '../support/measure';

interface RebuildRun {
  events: number;
  seconds: number;
  rate: number;
  maxRssMiB: number;
  baseline: number;
}

function runWorker(eventsFile: string): Promise<RebuildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'support', 'rebuild-worker.js'), eventsFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim()) as RebuildRun) : reject(new Error(`rebuild worker exited with ${code}`))));
  });
}

/** Every view rebuilt from the whole log, against a raw build of the statements index from the same log (indexes after the load). */
export async function rebuildWorkload(eventsFile: string): Promise<BenchResult[]> {
  const run = await runWorker(eventsFile);
  log(`rebuild: ${run.events} events in ${run.seconds.toFixed(1)} s (${Math.round(run.rate)}/s), peak RSS ${Math.round(run.maxRssMiB)} MiB; raw index build ${Math.round(run.baseline)}/s`);
  return [
    {
      name: 'rebuild',
      value: run.rate,
      unit: 'events/s',
      baseline: 'raw build of the statements index from the same log, indexes created after the load',
      baselineValue: run.baseline,
      ratio: run.rate / run.baseline,
      target: 'ratio ≥ 0.5',
      notes: `${run.events} events, every view`,
    },
    { name: 'rebuild peak RSS', value: run.maxRssMiB, unit: 'MiB', baseline: null, baselineValue: null, ratio: null, target: '≤ 256 MiB' },
  ];
}
