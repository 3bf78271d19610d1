import type * as Edtf from 'edtf';
import { InvalidValue } from './errors';
import { daysInMonth, formatInstant, isDate, isDateTime, startInstant, utcMs } from './valid-time';

/*
 * `statedOn` as the sources give it (docs/domain.md, "Dates as the sources give them"): a day,
 * a date-time with offset, or the imprecise forms of EDTF level 1 (a month, a year, an
 * interval of days, months or years, each optionally qualified `~`, `?` or `%`), parsed by the
 * `edtf` library. Each value stands for a range of instants, from `earliest` (the start of its
 * first day, or the instant) to `latest` (the start of its last day, or the instant).
 */

/** Epoch ms; `earliest === latest` for a day or a date-time. */
export interface StatedRange {
  earliest: number;
  latest: number;
}

export const STATED_ON_FORMS =
  'a day (2025-02-18), a date-time with seconds and an offset (2025-02-18T10:30:00+03:00), a month (2025-02), ' +
  'a year (2025) or an interval of days, months or years (2025-02-17/2025-02-23), optionally qualified with ~, ? or % (EDTF level 1)';

interface EdtfDate {
  type: 'Date';
  values: number[];
  offset?: number;
  unspecified?: unknown;
}

function isEdtfDate(value: unknown): value is EdtfDate {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Date';
}

/** The days a calendar date, month or year spans; null for anything else (times, X digits, years outside 0000–9999). */
function calendarRange(value: unknown): StatedRange | null {
  if (!isEdtfDate(value) || value.unspecified || value.offset !== undefined || value.values.length > 3) return null;
  const [year, month0, day] = value.values;
  if (!Number.isInteger(year) || year < 0 || year > 9999) return null;
  if (day !== undefined) return { earliest: utcMs(year, month0 + 1, day), latest: utcMs(year, month0 + 1, day) };
  if (month0 !== undefined) return { earliest: utcMs(year, month0 + 1, 1), latest: utcMs(year, month0 + 1, daysInMonth(year, month0 + 1)) };
  return { earliest: utcMs(year, 1, 1), latest: utcMs(year, 12, 31) };
}

/**
 * The parser (and its grammar library) is loaded on the first imprecise date, not with the domain:
 * plain days and date-times, and every CLI start, do without it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use
const edtf = (): typeof Edtf => require('edtf') as typeof Edtf;

function edtfRange(statedOn: string): StatedRange | null {
  let parsed: ReturnType<typeof Edtf.parse>;
  try {
    parsed = edtf().parse(statedOn, { level: 1 });
  } catch {
    return null;
  }
  if (parsed.type === 'Date') return calendarRange(parsed);
  if (parsed.type !== 'Interval') return null;
  const [from, to] = parsed.values.map(calendarRange);
  // Open or unknown ends (`..`, an empty side) come back null; an interval must run forwards.
  if (!from || !to || to.latest < from.earliest) return null;
  return { earliest: from.earliest, latest: to.latest };
}

/*
 * Every view and fold asks for the range of each statement's statedOn, and the edtf parser
 * builds its grammar anew on each call (~0.1 ms): plain days and date-times are read without
 * it, and the imprecise forms it parsed are remembered (a record repeats few of them).
 */
const EDTF_MEMO_SIZE = 4096;
const edtfMemo = new Map<string, StatedRange | null>();

function rememberedEdtfRange(statedOn: string): StatedRange | null {
  let range = edtfMemo.get(statedOn);
  if (range === undefined) {
    range = edtfRange(statedOn);
    if (edtfMemo.size >= EDTF_MEMO_SIZE) edtfMemo.clear();
    edtfMemo.set(statedOn, range);
  }
  return range && { ...range };
}

/** The range a `statedOn` stands for, or null when it is none of the accepted forms. */
export function statedRangeOf(statedOn: unknown): StatedRange | null {
  if (typeof statedOn !== 'string' || statedOn.length > 64) return null;
  // Date-times keep the service's own strict form (seconds and an offset required); EDTF allows less.
  if (statedOn.includes('T')) return isDateTime(statedOn) ? { earliest: startInstant(statedOn), latest: startInstant(statedOn) } : null;
  // A plain day, the commonest form, without the EDTF parser: folding a long log is otherwise mostly parsing.
  if (isDate(statedOn)) return { earliest: startInstant(statedOn), latest: startInstant(statedOn) };
  return rememberedEdtfRange(statedOn);
}

export function isStatedOn(statedOn: unknown): statedOn is string {
  return statedRangeOf(statedOn) !== null;
}

/** @throws InvalidValue naming `field` when `statedOn` is none of the accepted forms. */
export function statedRange(statedOn: unknown, field = 'statedOn'): StatedRange {
  const range = statedRangeOf(statedOn);
  if (range === null) throw new InvalidValue(`${field} must be ${STATED_ON_FORMS}, got ${JSON.stringify(statedOn)}`, field);
  return range;
}

/**
 * The range as recorded: nothing is said after it is recorded, so `latest` is clipped at the
 * moment of recording (`recordedAt`, epoch ms) of the event that gave the statement this
 * `statedOn`. The caller has checked that `earliest` is not after that moment.
 */
export function recordedRange(statedOn: string, recordedAt: number): StatedRange {
  const { earliest, latest } = statedRange(statedOn);
  return { earliest, latest: Math.max(earliest, Math.min(latest, recordedAt)) };
}

/** The same as ISO-8601 UTC instants, as answers give them. */
export function recordedRangeIso(statedOn: string, recordedAt: string): { earliest: string; latest: string } {
  const { earliest, latest } = recordedRange(statedOn, startInstant(recordedAt, 'recordedAt'));
  return { earliest: formatInstant(earliest), latest: formatInstant(latest) };
}
