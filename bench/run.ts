/**
 * `npm run bench`: the service measured against the raw limits of its own store on the same
 * machine, in the same run. `--quick` runs every workload small (CI keeps it from rotting; it
 * asserts nothing about speed). `--growth [n]` only compares position-at on 100,000 and
 * 10,000,000 (or n) statements (long; never in CI). `--search` only measures statement search on a
 * search view written straight from the data set (1,000,000 statements; quick: 20,000).
 * `--watch-state [n]` only measures the watch dispatcher's state and checkpoint at n statements
 * (in-process). `--only record,import,queries,stance-counts,cold-start,rebuild,soak,watch,beside-import` runs
 * just those (into only.json). Prints a table and writes bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Shape } from './support/dataset';
import { type BenchResult, log, table } from './support/measure';
import { settled, startService } from './support/service';
import { coldStartWorkload } from './workloads/cold-start';
import { growthWorkload } from './workloads/growth';
import { setUpStore, STORE, tearDownStore } from './support/store';
import { importWorkload } from './workloads/import';
import { queryWorkloads } from './workloads/queries';
import { rebuildWorkload } from './workloads/rebuild';
import { recordWorkload } from './workloads/record';
import { searchWorkload } from './workloads/search';
import { soakWorkload } from './workloads/soak';
import { besideImportWorkload } from './workloads/beside-import';
import { stanceCountsWorkload } from './workloads/stance-counts';
import { watchWorkload } from './workloads/watch';
import { watchStateWorkload } from './workloads/watch-state';

const quick = process.argv.includes('--quick');
const growth = process.argv.includes('--growth');
const searchOnly = process.argv.includes('--search');
const watchState = process.argv.includes('--watch-state');
/** `--only record,import,...`: only the named workloads (import runs whenever a later one needs its store). */
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : null;
const wants = (name: string) => only === null || only.has(name);
const SIZES = quick
  ? { seconds: 3, rounds: 1, soak: 5, watch: 100, shape: { actors: 1000, topics: 20, statements: 20_000, seed: 1 } satisfies Shape }
  : { seconds: 10, rounds: 2, soak: 60, watch: 1000, shape: { actors: 10_000, topics: 100, statements: 1_000_000, seed: 1 } satisfies Shape };

/** `--statements <n>`: the data set's size instead of the run's (actors and topics stay). */
const statementsAt = process.argv.indexOf('--statements');
if (statementsAt > 0) SIZES.shape.statements = Number(process.argv[statementsAt + 1]);

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(`${quick ? 'quick' : 'full'} run on ${machine}, store ${STORE}`);
  await setUpStore();
  try {
    await measure(machine);
  } finally {
    await tearDownStore();
  }
}

async function measure(machine: string): Promise<void> {
  const results: BenchResult[] = [];
  if (growth) {
    const small = { actors: 10_000, topics: 100, statements: quick ? 20_000 : 100_000, seed: 1 };
    // `--growth <statements>`: a smaller large record than 10,000,000, for a shorter run.
    const asked = Number(process.argv[process.argv.indexOf('--growth') + 1]);
    const large = Number.isInteger(asked) && asked > small.statements ? asked : quick ? 200_000 : 10_000_000;
    results.push(...(await growthWorkload(small, large)));
    return report(results, machine, `growth${quick ? '-quick' : ''}.json`);
  }
  if (searchOnly) return report(searchWorkload(SIZES.shape), machine, `search${quick ? '-quick' : ''}.json`);
  if (watchState) {
    // `--watch-state <statements>`: that many statements (default the full data set's).
    const count = Number(process.argv[process.argv.indexOf('--watch-state') + 1]);
    results.push(...(await watchStateWorkload(Number.isInteger(count) && count > 0 ? { ...SIZES.shape, statements: count } : SIZES.shape)));
    return report(results, machine, 'watch-state.json');
  }
  if (wants('record')) results.push(await recordWorkload(SIZES.seconds, SIZES.rounds));
  if (wants('watch')) results.push(...(await watchWorkload(SIZES.watch)));
  if (wants('beside-import')) results.push(...(await besideImportWorkload(SIZES.shape)));
  const onStore = ['queries', 'stance-counts', 'cold-start', 'rebuild', 'soak'];
  if (!wants('import') && !onStore.some(wants)) return report(results, machine, 'only.json');
  const imported = await importWorkload(SIZES.shape);
  results.push(...imported.results);

  // The questions are asked of the store the import built: the statements came in through the CLI.
  const service = await startService(imported.dataDir);
  try {
    log(`service on the imported store: idle after ${(await settled()).toFixed(0)} s of catching up`);
    if (wants('queries')) results.push(...(await queryWorkloads(service, SIZES.shape, SIZES.seconds, SIZES.rounds)));
    if (wants('stance-counts')) results.push(...(await stanceCountsWorkload(service, SIZES.shape, SIZES.seconds)));
    if (wants('cold-start')) results.push(...coldStartWorkload(imported.dataDir, SIZES.rounds * 3));
    if (wants('rebuild')) results.push(...(await rebuildWorkload(service.dataDir)));
    if (wants('soak')) results.push(...(await soakWorkload(service, SIZES.shape.actors, SIZES.shape.topics, SIZES.soak)));
  } finally {
    await service.close();
  }

  const name = only === null ? (quick ? 'quick' : 'latest') : 'only';
  report(results, machine, `${name}${STORE === 'sqlite' ? '' : `-${STORE}`}.json`);
}

function report(results: readonly BenchResult[], machine: string, file: string): void {
  process.stdout.write(`\n${table(results)}\n\n${machine}, store ${STORE}\n`);
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
