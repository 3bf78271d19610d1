import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { actorId, topicId } from '../support/dataset';
import { type BenchResult, log, percentile } from '../support/measure';
import { storeEnv } from '../support/store';

const CLI = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');

/** The median wall time of `runs` runs of node with `args`, in seconds. */
function median(args: string[], runs: number, env: Record<string, string> = {}): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const { status } = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ...env } });
    if (status !== 0) throw new Error(`node ${args.join(' ')} exited with ${status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

/** `positions --help` and one `positions position` query from a cold process, against `node -e 0`. */
export function coldStartWorkload(dataDir: string, runs: number): BenchResult[] {
  const node = median(['-e', '0'], runs);
  const help = median([CLI, '--help'], runs);
  // On the store the import wrote (PostgreSQL too, with `--store postgres`).
  const query = median([CLI, '--data-dir', dataDir, 'position', actorId(0), topicId(0), '--at', '2020-06-15'], runs, storeEnv(dataDir));
  log(`cold start: node -e 0 ${node.toFixed(2)} s, --help ${help.toFixed(2)} s, a position query ${query.toFixed(2)} s`);
  const row = (name: string, value: number, target: string): BenchResult => ({
    name,
    value,
    unit: 's',
    baseline: '`node -e 0`',
    baselineValue: node,
    ratio: node / value,
    target,
    notes: `median of ${runs} runs`,
  });
  return [row('`positions --help` cold start', help, '≤ 0.3 s'), row('`positions position` cold start', query, '≤ 0.6 s')];
}
