import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface CsvRecord {
  /** The line the record starts on (1-based; the header is line 1): quoted fields may span lines. */
  line: number;
  fields: string[];
  /** Why the record breaks RFC 4180, if it does (its fields are then a best guess). */
  problem?: string;
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

type State = 'start' | 'unquoted' | 'quoted' | 'quote';

const [COMMA, LF, CR, QUOTE] = [0x2c, 0x0a, 0x0d, 0x22];

/** Where an unquoted field stops: its delimiter or a stray quote, or the end of the text. A loop, not a RegExp: no match object per field. */
function unquotedEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR || c === QUOTE) return i;
  }
  return text.length;
}

/**
 * RFC 4180 in pieces: text is fed chunk by chunk as it is read, records come out as soon as they
 * end, so a file of any size streams in constant memory. Quoted fields may hold commas, doubled
 * quotes and line breaks; records end with CRLF or LF; blank lines are skipped.
 */
export class CsvParser {
  private state: State = 'start';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private problem: string | undefined;
  private out: CsvRecord[] = [];
  private bytesRead = 0;

  feed(text: string, bytesRead: number): CsvRecord[] {
    this.bytesRead = bytesRead;
    let i = 0;
    while (i < text.length) i = this.state === 'quoted' ? this.scanQuoted(text, i) : this.state === 'unquoted' ? this.scanUnquoted(text, i) : this.boundary(text, i);
    return this.take();
  }

  /** The end of the input: a record without a final line break still counts. */
  end(): CsvRecord[] {
    if (this.state === 'quoted') this.problem ??= `a quoted field opened on line ${this.recordLine} or later is never closed`;
    // After a comma a last, empty field is pending; after a line break nothing is.
    if (this.state !== 'start' || this.fields.length > 0) {
      this.fields.push(this.field);
      this.endRecord();
    }
    return this.take();
  }

  private scanQuoted(text: string, i: number): number {
    const quote = text.indexOf('"', i);
    const end = quote < 0 ? text.length : quote;
    for (let n = text.indexOf('\n', i); n >= 0 && n < end; n = text.indexOf('\n', n + 1)) this.line++;
    this.field += text.slice(i, end);
    if (quote < 0) return end;
    this.state = 'quote';
    return end + 1;
  }

  private scanUnquoted(text: string, i: number): number {
    const end = unquotedEnd(text, i);
    this.field += text.slice(i, end);
    if (end === text.length) return end;
    if (text[end] === '"') {
      this.problem ??= 'a quote inside an unquoted field: quote the whole field and double the quotes inside';
      this.field += '"';
    } else this.delimiter(text[end]);
    return end + 1;
  }

  /** At the start of a field, or just after a quote inside a quoted one. */
  private boundary(text: string, i: number): number {
    const ch = text[i];
    if (ch === ',' || ch === '\n' || ch === '\r') {
      this.delimiter(ch);
    } else if (ch === '"') {
      // At a field's start it opens the quotes; after a quote it is an escaped quote.
      if (this.state === 'quote') this.field += '"';
      this.state = 'quoted';
    } else {
      if (this.state === 'quote') this.problem ??= 'text after the closing quote of a field';
      this.state = 'unquoted';
      return i;
    }
    return i + 1;
  }

  private delimiter(ch: string): void {
    // A carriage return outside quotes can only belong to a CRLF line break.
    if (ch === '\r') return;
    this.fields.push(this.field);
    this.field = '';
    this.state = 'start';
    if (ch === '\n') {
      this.endRecord();
      this.line++;
      this.recordLine = this.line;
    }
  }

  private endRecord(): void {
    const blank = this.fields.length === 1 && this.fields[0] === '' && !this.problem;
    if (!blank) this.out.push({ line: this.recordLine, fields: this.fields, bytesRead: this.bytesRead, ...(this.problem && { problem: this.problem }) });
    this.fields = [];
    this.field = '';
    this.state = 'start';
    this.problem = undefined;
  }

  private take(): CsvRecord[] {
    const records = this.out;
    this.out = [];
    return records;
  }
}

/** The records of a CSV file, read in chunks (a leading byte-order mark is dropped). */
export async function* readCsv(file: string): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  const decoder = new StringDecoder('utf8');
  let bytesRead = 0;
  let first = true;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    yield* parser.feed(text, bytesRead);
  }
  yield* parser.feed(decoder.end(), bytesRead);
  yield* parser.end();
}
