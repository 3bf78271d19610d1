import { InvalidValue } from './errors';

/*
 * The time forms of the API (statedOn, at, knownAt): a calendar date `YYYY-MM-DD`, or a
 * date-time with seconds and an offset. Validated by hand because `Date.parse` accepts
 * forms the contract rejects (no offset, no seconds, a space for `T`) and rolls
 * 2025-02-30 over into March instead of refusing it.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// At most three fractional digits: instants are compared to the millisecond, and a finer time
// cut to milliseconds would tie with, or come before, what it names.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** 400 Gregorian years are exactly 146 097 days; used to step over `Date.UTC`'s 19xx mapping of years 0–99. */
const MS_PER_400_YEARS = 146_097 * MS_PER_DAY;
const MAX_OFFSET_MINUTES = 14 * 60;

const FORMS = 'a date (YYYY-MM-DD) or a date-time with seconds and an offset (YYYY-MM-DDTHH:MM:SS[.sss]Z or ±HH:MM, at most 3 fractional digits)';

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return days[month - 1];
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Epoch ms of a UTC wall-clock time, for every four-digit year (0000 included). */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  return Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - MS_PER_400_YEARS;
}

/** Epoch ms of the start of a date's UTC day, or null when it is not a real `YYYY-MM-DD` date. */
function parseDate(s: string): number | null {
  const m = DATE.exec(s);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(year, month, day) ? utcMs(year, month, day) : null;
}

/** Signed offset east of UTC in minutes, or null when outside ±14:00. */
function offsetMinutes(zone: string, sign?: string, hours?: string, minutes?: string): number | null {
  if (zone === 'Z') return 0;
  const [h, min] = [Number(hours), Number(minutes)];
  if (min > 59 || h * 60 + min > MAX_OFFSET_MINUTES) return null;
  return (sign === '-' ? -1 : 1) * (h * 60 + min);
}

/** The instant a date-time names in epoch ms, or null when it is not one. */
function parseDateTime(s: string): number | null {
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const offset = offsetMinutes(m[8], m[9], m[10], m[11]);
  if (offset === null) return null;
  const ms = Number((m[7] ?? '').padEnd(3, '0'));
  return utcMs(year, month, day, hour, minute, second, ms) - offset * MS_PER_MINUTE;
}

export function isDate(s: string): boolean {
  return parseDate(s) !== null;
}

export function isDateTime(s: string): boolean {
  return parseDateTime(s) !== null;
}

/** Either time form: what `statedOn`, `at` and `knownAt` accept. */
export function isTimeValue(s: unknown): s is string {
  return typeof s === 'string' && (isDate(s) || isDateTime(s));
}

/** @param field the request field to blame in the error (`statedOn`, `at`, `knownAt`). */
export function assertTimeValue(s: unknown, field: string): asserts s is string {
  if (!isTimeValue(s)) throw invalid(s, field);
}

export function assertDate(s: unknown, field: string): asserts s is string {
  if (typeof s !== 'string' || !isDate(s)) {
    throw new InvalidValue(`${field} must be a real calendar date (YYYY-MM-DD), got ${JSON.stringify(s)}`, field);
  }
}

function invalid(s: unknown, field?: string): InvalidValue {
  return new InvalidValue(`${field ?? 'time'} must be ${FORMS}, got ${JSON.stringify(s)}`, field);
}

/** Where a time value begins, in epoch ms: a date is 00:00:00.000Z of its UTC day. */
export function startInstant(s: string, field?: string): number {
  const instant = parseDate(s) ?? parseDateTime(s);
  if (instant === null) throw invalid(s, field);
  return instant;
}

/** Where a time value ends, in epoch ms: a date is 23:59:59.999Z of its UTC day, so "on D" includes all of D. */
export function endInstant(s: string, field?: string): number {
  const day = parseDate(s);
  if (day !== null) return day + MS_PER_DAY - 1;
  const instant = parseDateTime(s);
  if (instant === null) throw invalid(s, field);
  return instant;
}

/** `2025-02-26T09:30:00.000Z`: the form `recordedAt` and answers use. */
export function formatInstant(ms: number): string {
  if (!Number.isFinite(ms)) throw new InvalidValue(`not an instant: ${ms}`);
  return new Date(ms).toISOString();
}

/** The UTC calendar date an instant falls on, `YYYY-MM-DD`. */
export function utcDate(ms: number): string {
  return formatInstant(ms).slice(0, 10);
}
