import type { FieldProblem, StatementInput } from '@positions/application/statement-shape';
import { on } from 'node:events';
import { isMainThread, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { type CsvRecord, readCsv } from './csv-records';
import { CsvLayout } from './csv-statements';
import { LineSet } from './line-set';

const ROLE = 'positions-import-csv';
/** Rows per message, and messages the thread may send ahead of what the import took: a few thousand rows in memory. */
const ROWS_PER_PART = 1000;
const PARTS_AHEAD = 4;

/** A row of a statements CSV as the import takes it: its statement, or the problems of its shape. */
export interface CsvRow {
  line: number;
  /** Null when the row's shape is wrong (its problems say why). */
  statement: StatementInput | null;
  problems: FieldProblem[];
}

/** What the reader gives, in file order: the header first, then the rows in parts. */
export type CsvPart = { header: CsvRecord } | { rows: CsvRow[]; bytesRead: number };

/**
 * Which pass: `check` shapes every row (CsvLayout.statement); `write` builds the statements of
 * the lines the check found new (CsvLayout.checkedStatement: the file is the one it checked).
 */
export type CsvPass = { pass: 'check' } | { pass: 'write'; lines: LineSet };

type Message = CsvPart | { end: true } | { error: string };
interface WorkerData {
  role: typeof ROLE;
  file: string;
  /** The lines to write (LineSet's words); absent for the check. */
  lines?: Uint32Array;
}

/**
 * The rows of a statements CSV, read, parsed and shaped on a thread of their own while the
 * import checks or writes the rows before: parsing the text and checking the shape of each row
 * is a third of what a pass costs the import's thread. A few parts at most wait to be taken
 * (the thread waits for the import), so a file of any size is read in constant memory.
 *
 * The header is given as it was read: the import tells whether it is that of a statements CSV,
 * and stops (the thread with it) if not. A file that cannot be read fails the iteration.
 */
export async function* csvRows(file: string, pass: CsvPass): AsyncGenerator<CsvPart> {
  const data: WorkerData = { role: ROLE, file, ...(pass.pass === 'write' && { lines: pass.lines.words }) };
  const worker = new Worker(__filename, { workerData: data });
  try {
    // The thread's messages, queued as they come; its 'error' fails the iteration, its exit ends it.
    for await (const [message] of on(worker, 'message', { close: ['exit'] }) as AsyncIterableIterator<[Message]>) {
      if ('end' in message) return;
      if ('error' in message) throw new Error(`${file}: ${message.error}`);
      if ('rows' in message) worker.postMessage('taken');
      yield message;
    }
    throw new Error(`${file}: the thread reading it stopped before the end of the file`);
  } finally {
    await worker.terminate();
  }
}

/** The thread's side: reads the file, sends the header, then the rows in parts, never more than PARTS_AHEAD untaken. */
async function serve({ file, lines }: WorkerData, port: MessagePort): Promise<void> {
  const toWrite = lines ? new LineSet(lines) : null;
  let ahead = 0;
  let taken: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    taken?.();
  });
  const send = async (part: CsvPart) => {
    port.postMessage(part satisfies Message);
    if (++ahead >= PARTS_AHEAD) await new Promise<void>((resolve) => (taken = resolve));
    taken = null;
  };
  try {
    let layout: CsvLayout | null | undefined;
    let rows: CsvRow[] = [];
    let bytesRead = 0;
    for await (const record of readCsv(file)) {
      bytesRead = record.bytesRead;
      if (layout === undefined) {
        port.postMessage({ header: record } satisfies Message);
        layout = CsvLayout.parse(record).layout;
        // Not a statements CSV: the import stops on the header, and with it this thread.
        if (!layout) return;
        continue;
      }
      if (!layout) return;
      if (!toWrite) rows.push({ line: record.line, ...layout.statement(record) });
      else if (toWrite.has(record.line)) rows.push({ line: record.line, statement: layout.checkedStatement(record), problems: [] });
      else continue;
      if (rows.length >= ROWS_PER_PART) {
        await send({ rows, bytesRead });
        rows = [];
      }
    }
    if (rows.length > 0) await send({ rows, bytesRead });
    port.postMessage({ end: true } satisfies Message);
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies Message);
  }
}

if (!isMainThread && parentPort && (workerData as Partial<WorkerData> | null)?.role === ROLE) void serve(workerData as WorkerData, parentPort);
