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

/**
 * C0 and C1 controls (except tab and line feed), DEL, and the bidirectional overrides: recorded text could otherwise
 * clear the operator's screen, set the window title, write to the clipboard (OSC 52) or reorder what is shown.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text made safe for a terminal: every control character shown as its `\uXXXX` escape. */
export const terminalSafe = (text: string): string => text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function printText(text: string): Promise<void> {
  const safe = terminalSafe(text);
  return writeTo(process.stdout, safe.endsWith('\n') ? safe : `${safe}\n`);
}

/** Progress, summaries and warnings: stderr, so stdout stays for data. */
export function note(message: string): void {
  process.stderr.write(`${terminalSafe(message)}\n`);
}

/**
 * A plain table for a terminal: columns padded to their widest cell; the last column is cut to
 * the terminal's width when there is one (pipes get it whole).
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  // A line break inside a cell (a quoted CSV field may hold one) would tear the table apart.
  rows = rows.map((r) => r.map((cell) => terminalSafe(cell.replace(/\s*\r?\n\s*/g, ' '))));
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
