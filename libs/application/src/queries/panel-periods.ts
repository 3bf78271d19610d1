/** The steps of a panel: UTC days, ISO weeks (Monday to Sunday), calendar months, calendar years. */
export const PANEL_STEPS = ['day', 'week', 'month', 'year'] as const;
export type PanelStep = (typeof PANEL_STEPS)[number];

/** One period of a panel: its label (`2025-02-26`, `2025-W09`, `2025-02`, `2025`) and its last day. */
export interface Period {
  label: string;
  lastDay: string;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The period of `step` that holds the day at `ms`: its label, and the first and last day as epoch ms. */
function periodOf(step: PanelStep, ms: number): { label: string; first: number; last: number } {
  const date = new Date(ms);
  const [y, m] = [date.getUTCFullYear(), date.getUTCMonth()];
  switch (step) {
    case 'day':
      return { label: iso(ms), first: ms, last: ms };
    case 'week': {
      const first = ms - ((date.getUTCDay() + 6) % 7) * DAY_MS;
      // The ISO week-year is the year of the week's Thursday; week 1 holds its first Thursday.
      const thursday = new Date(first + 3 * DAY_MS);
      const week = Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / (7 * DAY_MS)) + 1;
      return { label: `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`, first, last: first + 6 * DAY_MS };
    }
    case 'month':
      return { label: iso(ms).slice(0, 7), first: Date.UTC(y, m, 1), last: Date.UTC(y, m + 1, 1) - DAY_MS };
    case 'year':
      return { label: String(y).padStart(4, '0'), first: Date.UTC(y, 0, 1), last: Date.UTC(y + 1, 0, 1) - DAY_MS };
  }
}

/**
 * The periods of `step` from the one holding `from` to the one holding `to` (YYYY-MM-DD), in
 * order; at most `max` (the caller refuses more).
 */
export function periodsBetween(step: PanelStep, from: string, to: string, max: number): Period[] {
  const periods: Period[] = [];
  for (let ms = dayMs(from); ms <= dayMs(to) && periods.length < max; ) {
    const { label, last } = periodOf(step, ms);
    periods.push({ label, lastDay: iso(last) });
    ms = last + DAY_MS;
  }
  return periods;
}

/** How many periods `periodsBetween` gives, counted without listing them (a refusal of a huge panel stays cheap). */
export function periodCount(step: PanelStep, from: string, to: string): number {
  const [a, b] = [periodOf(step, dayMs(from)).first, periodOf(step, dayMs(to)).first];
  const [d1, d2] = [new Date(a), new Date(b)];
  switch (step) {
    case 'day':
      return (b - a) / DAY_MS + 1;
    case 'week':
      return (b - a) / (7 * DAY_MS) + 1;
    case 'month':
      return (d2.getUTCFullYear() - d1.getUTCFullYear()) * 12 + d2.getUTCMonth() - d1.getUTCMonth() + 1;
    case 'year':
      return d2.getUTCFullYear() - d1.getUTCFullYear() + 1;
  }
}
