import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { note } from './output';

export interface FileProblem {
  line: number;
  field: string;
  problem: string;
}

/** What is wrong with an input file, by line and field, printed as `FILE:LINE: FIELD: problem` (the form editors jump to). */
export class FileProblems {
  readonly list: FileProblem[] = [];

  constructor(readonly file: string) {}

  add(line: number, field: string, problem: string): void {
    this.list.push({ line, field, problem });
  }

  get count(): number {
    return this.list.length;
  }

  /** Lines with at least one problem. */
  lines(): Set<number> {
    return new Set(this.list.map((p) => p.line));
  }

  print(): void {
    for (const { line, field, problem } of this.list) note(`${this.file}:${line}: ${field}: ${problem}`);
  }
}

export interface TextLine {
  /** 1-based. */
  line: number;
  text: string;
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

/** The lines of a file, streamed: for NDJSON, whose records never hold a raw newline. */
export async function* readLines(file: string): AsyncGenerator<TextLine> {
  const input = createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    yield { line, text, bytesRead: input.bytesRead };
  }
}
