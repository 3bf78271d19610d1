import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes to a stream, waiting when its buffer is full, so a large export never piles up in memory. */
export async function writeTo(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** One JSON document on one line of stdout: what `--json` prints, and nothing else goes to stdout. */
export function printJson(value: unknown): Promise<void> {
  return writeTo(process.stdout, `${JSON.stringify(value)}\n`);
}

export function printText(text: string): Promise<void> {
  return writeTo(process.stdout, text.endsWith('\n') ? text : `${text}\n`);
}

/** Progress, summaries and warnings: stderr, so stdout stays for data. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * A plain table for a terminal: columns padded to their widest cell; the last column is cut to
 * the terminal's width when there is one (pipes get it whole).
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  // A line break inside a cell (a quoted CSV field may hold one) would tear the table apart.
  rows = rows.map((r) => r.map((cell) => cell.replace(/\s*\r?\n\s*/g, ' ')));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const width = process.stdout.columns;
  const line = (cells: readonly string[]) => {
    const text = cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
    return width && text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Label–value lines, labels aligned. */
export function fields(pairs: readonly [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
