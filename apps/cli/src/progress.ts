import type * as CliProgress from 'cli-progress';

/**
 * cli-progress (16 modules) is loaded when a bar is drawn, on a terminal: every command imports this
 * file, and `positions position` should not pay for a bar it never shows.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use
const cliProgress = (): typeof CliProgress => require('cli-progress') as typeof CliProgress;

export interface Progress {
  /** `value` moves the bar towards `total` (bytes, positions or rows); `count` is what is shown as done. */
  update(value: number, count: number): void;
  stop(): void;
  /** Seconds since the bar started. */
  readonly seconds: number;
}

/**
 * A progress bar on stderr: done, rate and time left. Only on a terminal; in pipes and tests
 * the commands print one summary line instead.
 */
export function progressBar(label: string, total: number, unit: string): Progress {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined, get seconds() { return seconds(); } };
  const { Presets, SingleBar } = cliProgress();
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {count} ${unit} | {rate} ${unit}/s | {duration_formatted} elapsed, {eta_formatted} left`,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { count: 0, rate: 0 });
  return {
    update(value, count) {
      bar.update(Math.min(value, Math.max(total, 1)), { count, rate: Math.round(count / Math.max(seconds(), 0.001)) });
    },
    stop: () => bar.stop(),
    get seconds() {
      return seconds();
    },
  };
}

/** `12,345 rows in 3.2 s (3,858 rows/s)`: the closing line of a long command. */
export function summary(count: number, unit: string, seconds: number): string {
  const rate = Math.round(count / Math.max(seconds, 0.001));
  return `${count.toLocaleString('en')} ${unit} in ${seconds.toFixed(1)} s (${rate.toLocaleString('en')} ${unit}/s)`;
}
