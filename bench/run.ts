/**
 * `npm run bench`: the service measured against the raw limits of its own store on the same
 * machine, in the same run. `--quick` runs every workload small (CI keeps it from rotting; it
 * asserts nothing about speed). Prints a table and writes bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Shape } from './support/dataset';
import { type BenchResult, log, table } from './support/measure';
import { startService } from './support/service';
import { importWorkload } from './workloads/import';
import { queryWorkloads } from './workloads/queries';
import { rebuildWorkload } from './workloads/rebuild';
import { recordWorkload } from './workloads/record';
import { soakWorkload } from './workloads/soak';
import { watchWorkload } from './workloads/watch';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { seconds: 3, rounds: 1, soak: 5, watch: 100, shape: { actors: 1000, topics: 20, statements: 20_000, seed: 1 } satisfies Shape }
  : { seconds: 10, rounds: 2, soak: 60, watch: 1000, shape: { actors: 10_000, topics: 100, statements: 1_000_000, seed: 1 } satisfies Shape };

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(`${quick ? 'quick' : 'full'} run on ${machine}`);
  const results: BenchResult[] = [];
  results.push(await recordWorkload(SIZES.seconds, SIZES.rounds));
  results.push(...(await watchWorkload(SIZES.watch)));
  const imported = await importWorkload(SIZES.shape);
  results.push(...imported.results);

  // The questions are asked of the store the import built: the statements came in through the CLI.
  const service = await startService(imported.dataDir);
  try {
    results.push(...(await queryWorkloads(service, SIZES.shape, SIZES.seconds, SIZES.rounds)));
    results.push(...(await rebuildWorkload(join(service.dataDir, 'events.db'))));
    results.push(...(await soakWorkload(service, SIZES.shape.actors, SIZES.shape.topics, SIZES.soak)));
  } finally {
    await service.close();
  }

  process.stdout.write(`\n${table(results)}\n\n${machine}\n`);
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, quick ? 'quick.json' : 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
