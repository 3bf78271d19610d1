import type { Command } from 'commander';
import type { EventStore, StoredEvent } from '@positions/event-store';
import { statSync } from 'node:fs';
import type { CliConfig } from '../cli-config';
import { failure, invalidInput } from '../cli-errors';
import { asStoredEvent, LogChecker } from '../events/envelope-check';
import { FileProblems, readLines } from '../file-problems';
import { note } from '../output';
import { progressBar, summary } from '../progress';
import { examples } from './arguments';

/** Events per `importEvents` call: one transaction each on the embedded store. */
const BATCH = 1000;

/**
 * `import-events`: loads an exported log into an empty store, keeping every eventId, recordedAt,
 * recordedBy, correlation and causation, and the order, so every `knownAt` answer is the same.
 * The events go in through the port's `importEvents`, a thousand at a time, each batch all or
 * nothing. See docs/decisions/0005-cli.md.
 */
export function registerImportEventsCommand(program: Command, config: () => CliConfig): void {
  program
    .command('import-events')
    .description('load a log written by `export` into an EMPTY store, keeping event ids, recordedAt, recordedBy and order')
    .argument('<file>', 'an NDJSON file of event envelopes')
    .addHelpText('after', examples([
      ['DATA_DIR=./old positions export --out record.ndjson && DATA_DIR=./new positions import-events record.ndjson', 'move a record to a fresh store'],
      ['EVENT_STORE=kurrentdb EVENTSTORE_CONNECTION_STRING=kurrentdb://localhost:2113?tls=false positions import-events record.ndjson', 'move it to KurrentDB'],
    ]))
    .action(async (file: string) => {
      const { withStore } = await import('../cli-context');
      await withStore(config(), (store) => importEvents(store, file));
    });
}

async function importEvents(store: EventStore, file: string): Promise<void> {
  const size = fileSize(file);
  const existing = await store.lastPosition();
  if (existing > 0) throw invalidInput(`the store already holds events (last position ${existing}): import-events loads only into an empty store; nothing was written`);
  const total = await checkLog(file, size);
  const bar = progressBar('importing events', total, 'events');
  let written = 0;
  try {
    for await (const batch of batches(file)) {
      await store.importEvents(batch);
      written += batch.length;
      bar.update(written, written);
    }
  } catch (error) {
    throw failure(`import stopped after ${written} of ${total} events (${error instanceof Error ? error.message : String(error)}); empty the store before trying again`);
  } finally {
    bar.stop();
  }
  note(`imported ${summary(written, 'events', bar.seconds)} from ${file}`);
}

/** First pass: every line checked before anything is written. Returns the number of events. */
async function checkLog(file: string, size: number): Promise<number> {
  const problems = new FileProblems(file);
  const checker = new LogChecker();
  const bar = progressBar('checking', size, 'events');
  let count = 0;
  for await (const { line, text, bytesRead } of readLines(file)) {
    if (text.trim() === '') continue;
    count++;
    for (const { field, problem } of checker.check(parseLine(text, line, problems))) problems.add(line, field, problem);
    if (count % 1000 === 0) bar.update(bytesRead, count);
  }
  bar.stop();
  if (problems.count > 0) {
    problems.print();
    throw invalidInput(`${file}: ${problems.count} problems on ${problems.lines().size} lines; nothing was written`);
  }
  return count;
}

function parseLine(text: string, line: number, problems: FileProblems): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.add(line, '(line)', `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * Second pass: the events in the file's order, a thousand at a time. Each batch is checked by the
 * store against what it holds (ids free, each stream's next position, recordedAt not going back),
 * which also catches another writer working on the store meanwhile.
 */
async function* batches(file: string): AsyncGenerator<StoredEvent[]> {
  let batch: StoredEvent[] = [];
  for await (const { text } of readLines(file)) {
    if (text.trim() === '') continue;
    batch.push(asStoredEvent(JSON.parse(text)));
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    throw invalidInput(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
