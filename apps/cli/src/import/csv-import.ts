import type { Outcome, StatementRow } from '@positions/application';
import { statSync } from 'node:fs';
import { failure, invalidInput } from '../cli-errors';
import { progressBar } from '../progress';
import { type CsvRecord, readCsv } from './csv-records';
import { columnOf, CsvLayout } from './csv-statements';
import type { ImportRun } from './import-run';

/**
 * A statements CSV in two streamed passes: the first checks every row (shape, then the import's check)
 * and notes which lines to write; the second reads the file again and writes those lines in
 * batches. Per row, nothing is held but a bit for its line and the check's fingerprint.
 */
export async function importCsv(run: ImportRun): Promise<void> {
  const before = statSync(run.file);
  const toWrite = await checkRows(run, before.size);
  run.settleProblems();
  if (run.options.dryRun) {
    run.counts.written = toWrite.size;
    return;
  }
  const after = statSync(run.file);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw failure(`${run.file} changed while it was being checked; nothing was written`);
  await writeRows(run, toWrite);
}

async function checkRows(run: ImportRun, size: number): Promise<LineSet> {
  const toWrite = new LineSet();
  const bar = progressBar('checking', size, 'rows');
  let layout: CsvLayout | null = null;
  try {
    for await (const record of readCsv(run.file)) {
      if (!layout) {
        layout = header(run, record);
        continue;
      }
      run.counts.read++;
      if ((await checkRow(run, layout, record)) === 'new') toWrite.add(record.line);
      if (run.counts.read % 500 === 0) bar.update(record.bytesRead, run.counts.read);
    }
  } finally {
    bar.stop();
  }
  if (!layout) throw invalidInput(`${run.file}:1: (header): the file is empty; a statements CSV starts with a header line`);
  return toWrite;
}

/** A bad header makes every row unreadable: it stops the import whatever --skip-invalid says. */
function header(run: ImportRun, record: CsvRecord): CsvLayout {
  const { layout, problems } = CsvLayout.parse(record);
  if (layout) return layout;
  problems.forEach((p) => run.problems.add(record.line, p.field, p.problem));
  run.problems.print();
  throw invalidInput(`${run.file}: the header is not that of a statements CSV; nothing was written`);
}

async function checkRow(run: ImportRun, layout: CsvLayout, record: CsvRecord): Promise<Outcome | 'invalid'> {
  const { statement, problems } = layout.statement(record);
  problems.forEach((p) => run.problems.add(record.line, p.field, p.problem));
  if (!statement) {
    run.counts.invalid++;
    return 'invalid';
  }
  return run.decide(record.line, () => run.session.check.recordStatement(statement), columnOf);
}

async function writeRows(run: ImportRun, toWrite: LineSet): Promise<void> {
  await run.session.willWrite(toWrite.size);
  const bar = progressBar('writing', toWrite.size, 'rows');
  let layout: CsvLayout | null = null;
  let batch: StatementRow[] = [];
  let done = 0;
  const flush = async () => {
    await run.session.writer.write(batch);
    done += batch.length;
    bar.update(done, done);
    batch = [];
  };
  try {
    for await (const record of readCsv(run.file)) {
      layout ??= CsvLayout.parse(record).layout as CsvLayout;
      if (!toWrite.has(record.line)) continue;
      // The first pass found this line valid, and the file is the one it checked.
      batch.push({ line: record.line, statement: layout.checkedStatement(record) });
      if (batch.length >= run.options.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    await run.session.writer.finish();
  } catch (error) {
    throw run.writeFailed(error, columnOf);
  } finally {
    bar.stop();
  }
}

/** Line numbers as bits: a million lines in 125 KiB, where a Set of numbers takes tens of MiB. */
export class LineSet {
  private bits = new Uint32Array(1024);
  size = 0;

  add(line: number): void {
    const word = line >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (line & 31);
    if ((this.bits[word] & bit) === 0) this.size++;
    this.bits[word] |= bit;
  }

  has(line: number): boolean {
    const word = line >>> 5;
    return word < this.bits.length && (this.bits[word] & (1 << (line & 31))) !== 0;
  }
}
