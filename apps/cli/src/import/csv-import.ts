import type { Outcome, StatementInput, StatementRow } from '@positions/application';
import { statSync } from 'node:fs';
import { failure, invalidInput } from '../cli-errors';
import { progressBar } from '../progress';
import type { CsvRecord } from './csv-records';
import { type CsvRow, csvRows } from './csv-rows';
import { columnOf, CsvLayout } from './csv-statements';
import type { ImportRun } from './import-run';
import { LineSet } from './line-set';

/**
 * A statements CSV in two streamed passes: the first checks every row (shape, then the import's check)
 * and notes which lines to write; the second reads the file again and writes those lines in
 * batches. Per row, nothing is held but a bit for its line and the check's fingerprint. In both,
 * the file is parsed and its rows shaped on a thread of their own (csvRows) while this one
 * checks or writes the rows before.
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
    for await (const part of csvRows(run.file, { pass: 'check' })) {
      if ('header' in part) {
        layout = header(run, part.header);
        continue;
      }
      for (const row of part.rows) {
        run.counts.read++;
        if ((await checkRow(run, row)) === 'new') toWrite.add(row.line);
      }
      bar.update(part.bytesRead, run.counts.read);
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

async function checkRow(run: ImportRun, { line, statement, problems }: CsvRow): Promise<Outcome | 'invalid'> {
  problems.forEach((p) => run.problems.add(line, p.field, p.problem));
  if (!statement) {
    run.counts.invalid++;
    return 'invalid';
  }
  return run.decide(line, () => run.session.check.recordStatement(statement), columnOf);
}

async function writeRows(run: ImportRun, toWrite: LineSet): Promise<void> {
  await run.session.willWrite(toWrite.size);
  const bar = progressBar('writing', toWrite.size, 'rows');
  let batch: StatementRow[] = [];
  let done = 0;
  const flush = async () => {
    await run.session.writer.write(batch);
    done += batch.length;
    bar.update(done, done);
    batch = [];
  };
  try {
    // The first pass found these lines valid, and the file is the one it checked.
    for await (const part of csvRows(run.file, { pass: 'write', lines: toWrite })) {
      if ('header' in part) continue;
      for (const { line, statement } of part.rows) {
        batch.push({ line, statement: statement as StatementInput });
        if (batch.length >= run.options.batchSize) await flush();
      }
    }
    if (batch.length > 0) await flush();
    await run.session.writer.finish();
  } catch (error) {
    throw run.writeFailed(error, columnOf);
  } finally {
    bar.stop();
  }
}
