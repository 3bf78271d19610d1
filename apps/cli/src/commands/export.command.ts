import type { Command } from 'commander';
import type { EventStore } from '@positions/event-store';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { CliConfig } from '../cli-config';
import { note, writeTo } from '../output';
import { progressBar, summary } from '../progress';
import { examples, positiveInteger } from './arguments';

/** `export`: the whole log as NDJSON envelopes, the input of `import-events`. */
export function registerExportCommand(program: Command, config: () => CliConfig): void {
  program
    .command('export')
    .description('write the whole log as NDJSON: one event envelope per line, in global order (stdout unless --out)')
    .option('--out <file>', 'write to this file (replaced only once the export is complete)')
    .option('--page-size <n>', 'events read per page', positiveInteger, 1000)
    .addHelpText('after', examples([
      ['positions export --out record.ndjson', 'the whole record, to move it to another store with import-events'],
      ["positions export | jq -c 'select(.type == \"PositionStated\")'", 'the log as a stream for scripts'],
    ]))
    .action(async (options: { out?: string; pageSize: number }) => {
      const { withStore } = await import('../cli-context');
      await withStore(config(), async (store) => {
        const started = Date.now();
        const count = options.out ? await exportToFile(store, options.out, options.pageSize) : await exportLog(store, process.stdout, options.pageSize);
        note(`exported ${summary(count, 'events', (Date.now() - started) / 1000)}${options.out ? ` to ${options.out}` : ''}`);
      });
    });
}

/**
 * Reads the log page by page up to its last position when the export began: a consistent cut,
 * even while the service keeps appending.
 */
export async function exportLog(store: EventStore, out: Writable, pageSize: number): Promise<number> {
  const end = await store.lastPosition();
  const bar = progressBar('exporting', end, 'events');
  let after = 0;
  let count = 0;
  try {
    while (after < end) {
      const page = (await store.readAll({ after, limit: pageSize })).filter((event) => event.position <= end);
      if (page.length === 0) break;
      await writeTo(out, page.map((event) => `${JSON.stringify(event)}\n`).join(''));
      count += page.length;
      after = page[page.length - 1].position;
      bar.update(after, count);
    }
  } finally {
    bar.stop();
  }
  return count;
}

/** Writes beside the target and renames at the end, so a failed export never leaves a truncated log that looks whole. */
async function exportToFile(store: EventStore, file: string, pageSize: number): Promise<number> {
  const partial = `${file}.partial-${process.pid}`;
  const out = createWriteStream(partial, { flags: 'wx' });
  try {
    const count = await exportLog(store, out, pageSize);
    out.end();
    await finished(out);
    renameSync(partial, file);
    return count;
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}
