/**
 * Rebuilds every view from an event log into a fresh views file, in its own process so that
 * its peak memory is its own. argv[2]: the data folder, its store as the environment says
 * (EVENT_STORE...); argv[3]: `rebuild`, or `baseline` for the raw build alone (in a process
 * of its own too: memory it freed would otherwise still count in the rebuild's peak). Prints
 * one JSON line.
 */
import { openStore, storeSettingsFromEnv, eventsFile as eventsFileIn } from '@positions/event-store';
import { SqliteEventStore } from '@positions/event-store/sqlite';
import { ALL_PROJECTIONS, openViewsDatabase, ProjectionRunner } from '@positions/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawIndexBuildRate, rawReadAndParsePostgres } from './raw';

async function main(): Promise<void> {
  const settings = storeSettingsFromEnv(process.env, process.argv[2]);
  const eventsFile = eventsFileIn(settings.dataDir);
  const onPostgres = settings.kind === 'postgres' && settings.connectionString !== null;
  if (process.argv[3] === 'baseline') {
    const baseline = onPostgres ? await rawReadAndParsePostgres(settings.connectionString ?? '', settings.schema ?? 'positions') : rawIndexBuildRate(eventsFile);
    process.stdout.write(`${JSON.stringify({ baseline, baselineMaxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
    return;
  }
  const peak = { heapMiB: 0, externalMiB: 0 };
  const dir = mkdtempSync(join(tmpdir(), 'positions-rebuild-'));
  const store = onPostgres ? await openStore(settings) : SqliteEventStore.open(eventsFile, { readonly: true });
  const db = openViewsDatabase(join(dir, 'views.db'));
  const events = await store.lastPosition();
  // The runner's own batch size, as the service and `positions projections rebuild` use it: with
  // 5,000 events a batch, each batch outlived the young generation and the heap grew by ~70 MiB
  // between full collections (peak RSS 230 MiB against 179 MiB, at the same rate).
  const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, { log: () => undefined, error: (m) => process.stderr.write(`${m}\n`) });
  const progress = setInterval(async () => {
    const info = await runner.info();
    const { heapUsed, external, rss } = process.memoryUsage();
    peak.heapMiB = Math.max(peak.heapMiB, heapUsed / 2 ** 20);
    peak.externalMiB = Math.max(peak.externalMiB, external / 2 ** 20);
    process.stderr.write(`[rebuild] RSS ${Math.round(rss / 2 ** 20)} MiB, heap ${Math.round(heapUsed / 2 ** 20)} MiB\n`);
    process.stderr.write(`[rebuild] ${Math.min(...info.map((v) => v.position))}/${events} events\n`);
  }, 5000);
  const started = process.hrtime.bigint();
  await runner.start(0);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(progress);
  runner.stop();
  db.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ events, seconds, rate: events / seconds, maxRssMiB, ...peak })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
