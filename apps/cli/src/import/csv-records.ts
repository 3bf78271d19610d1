import { type CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';

export interface CsvRecord {
  /** The line the record starts on (1-based; the header is line 1): quoted fields may span lines. */
  line: number;
  fields: string[];
  /** Why the record breaks RFC 4180, if it does (it then has no fields). */
  problem?: string;
  /** Bytes of the file read up to the end of the record, for progress. */
  bytesRead: number;
}

/** csv-parse's refusals, said as the other problems of a row are. */
const PROBLEMS: Readonly<Record<string, string>> = {
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field: quote the whole field and double the quotes inside',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a field',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field opened here is never closed',
};

/** The records of a CSV file, streamed (RFC 4180: quoted commas, doubled quotes and line breaks; CRLF or LF; a leading byte-order mark dropped). */
export function readCsv(file: string): AsyncGenerator<CsvRecord> {
  return csvRecords(createReadStream(file));
}

/**
 * The records of CSV text arriving in chunks, each out as soon as it ends: a file of any size in
 * constant memory. Blank lines are skipped. A record that breaks the format comes out with its
 * problem (the reader goes on with the next), so every bad line of a file is reported at once.
 */
export async function* csvRecords(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<CsvRecord> {
  const lines = new LineCounter();
  let out: CsvRecord[] = [];
  let lastLine = 0;
  let failure: Error | null = null;
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    // A row of the wrong length is the layout's to report, with the header's count.
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // Records are taken as they are decided (in order, with their byte offsets), not read from the stream.
    on_record: (fields: string[], { bytes }) => {
      lastLine = lines.recordStart(bytes, fields);
      out.push({ line: lastLine, fields, bytesRead: bytes });
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      // csv-parse tells where the last good record ended: the bad one starts on the next line with text.
      lastLine = Math.max(lines.firstTextLine(Number(error?.bytes ?? 0)), lastLine + 1);
      out.push({ line: lastLine, fields: [], problem: PROBLEMS[error?.code ?? ''] ?? error?.message ?? 'is not valid CSV', bytesRead: Number(error?.bytes ?? 0) });
    },
  });
  parser.on('error', (error) => (failure = error));
  const take = () => {
    if (failure) throw failure;
    const records = out;
    out = [];
    return records;
  };
  for await (const chunk of chunks) {
    lines.feed(chunk);
    parser.write(chunk);
    yield* take();
  }
  parser.end();
  yield* take();
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Line numbers from byte offsets, counted once over the bytes as they stream by. (csv-parse's own
 * count runs ahead after a quoted CRLF, which spreadsheets write for a line break in a cell.)
 */
class LineCounter {
  private readonly chunks: Buffer[] = [];
  /** The offset of `chunks[0]` in the file. */
  private base = 0;
  /** Line feeds before `cursor` have been counted. */
  private cursor = 0;
  private lineFeeds = 0;

  feed(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** The line a record that ends at `end` (its line break included) starts on: its last line, less the line breaks inside its fields. */
  recordStart(end: number, fields: readonly string[]): number {
    let inside = 0;
    for (const field of fields) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) inside++;
    return this.lineOf(end - 1) - inside;
  }

  /** The line of the first byte at or after `offset` that is not a line break. */
  firstTextLine(offset: number): number {
    let at = Math.max(offset, this.cursor);
    for (let byte = this.byteAt(at); byte === LF || byte === CR; byte = this.byteAt(at)) at++;
    return this.lineOf(at);
  }

  /** The line of the byte at `offset` (offsets asked for never go back). */
  private lineOf(offset: number): number {
    while (this.cursor < offset && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const end = this.base + chunk.length;
      const stop = Math.min(offset, end);
      for (let i = chunk.indexOf(LF, this.cursor - this.base); i >= 0 && i < stop - this.base; i = chunk.indexOf(LF, i + 1)) this.lineFeeds++;
      this.cursor = stop;
      if (stop === end) {
        this.chunks.shift();
        this.base = end;
      }
    }
    return 1 + this.lineFeeds;
  }

  private byteAt(offset: number): number | undefined {
    let start = this.base;
    for (const chunk of this.chunks) {
      if (offset < start + chunk.length) return chunk[offset - start];
      start += chunk.length;
    }
    return undefined;
  }
}
