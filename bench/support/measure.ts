/** One row of `bench/results/latest.json`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: string | null;
  baselineValue: number | null;
  /** value / baselineValue (for latencies: baselineValue / value), null without a baseline. */
  ratio: number | null;
  target?: string;
  notes?: string;
}

export const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/**
 * Runs `workload` and `baseline` alternately, `rounds` times each, and returns their means:
 * on a shared, noisy machine, interleaving keeps both exposed to the same conditions.
 */
export async function interleaved(rounds: number, workload: () => Promise<number>, baseline: () => Promise<number>): Promise<{ value: number; baselineValue: number }> {
  const values: number[] = [];
  const baselines: number[] = [];
  for (let round = 0; round < rounds; round++) {
    baselines.push(await baseline());
    values.push(await workload());
  }
  return { value: mean(values), baselineValue: mean(baselines) };
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function table(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${round(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline}: ${round(r.baselineValue ?? 0)}` : '—',
    r.ratio === null ? '—' : r.ratio.toFixed(2),
    r.target ?? '',
  ]);
  const header = ['workload', 'measured', 'baseline (same run)', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const round = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 1 ? 1 : 3));
