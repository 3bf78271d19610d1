import type { Span } from '@positions/domain';
import * as chrono from 'chrono-node';

/** A date as the article words it, resolved against the day it was published. */
export interface DateWording {
  /** EDTF: a day, a month, a year or an interval of days. */
  statedOn: string;
  wording: string;
  span: Span;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
/** Monday of the ISO week of a day (epoch ms). */
const mondayOf = (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;
const interval = (from: number, to: number) => (from >= to ? iso(from) : `${iso(from)}/${iso(to)}`);

/**
 * The week and range rules no parser knows as a reporter means them, tried before chrono-node:
 * "last week" is the ISO week before publication (Monday to Sunday), "earlier this week" its
 * own week up to the day before, and so on.
 */
const RANGE_RULES: { pattern: RegExp; resolve: (published: number) => string }[] = [
  { pattern: /\blast week(?:end)?\b/i, resolve: (p) => interval(mondayOf(p) - 7 * DAY_MS, mondayOf(p) - DAY_MS) },
  { pattern: /\b(?:earlier|at the (?:start|beginning) of|at the start of) this week\b/i, resolve: (p) => interval(mondayOf(p), Math.max(mondayOf(p), p - DAY_MS)) },
  { pattern: /\bthis week\b/i, resolve: (p) => interval(mondayOf(p), p) },
  { pattern: /\b(?:over|at) the weekend\b/i, resolve: (p) => interval(mondayOf(p) - 2 * DAY_MS, mondayOf(p) - DAY_MS) },
  { pattern: /\bearlier this month\b/i, resolve: (p) => interval(Date.UTC(new Date(p).getUTCFullYear(), new Date(p).getUTCMonth(), 1), p - DAY_MS) },
  { pattern: /\bthis month\b/i, resolve: (p) => iso(p).slice(0, 7) },
  { pattern: /\bearlier this year\b/i, resolve: (p) => interval(Date.UTC(new Date(p).getUTCFullYear(), 0, 1), p - DAY_MS) },
  { pattern: /\bthis year\b/i, resolve: (p) => String(new Date(p).getUTCFullYear()) },
  { pattern: /\blast year\b/i, resolve: (p) => String(new Date(p).getUTCFullYear() - 1) },
  { pattern: /\blast month\b/i, resolve: (p) => iso(Date.UTC(new Date(p).getUTCFullYear(), new Date(p).getUTCMonth() - 1, 1)).slice(0, 7) },
];

/** Every date wording in `text` (offsets from `offset`), resolved against `publishedOn` (`YYYY-MM-DD`). */
export function findDateWordings(text: string, publishedOn: string, offset = 0): DateWording[] {
  const published = dayMs(publishedOn);
  const found: DateWording[] = [];
  for (const rule of RANGE_RULES) {
    for (const match of text.matchAll(new RegExp(rule.pattern.source, 'gi'))) {
      const span: Span = [offset + (match.index ?? 0), offset + (match.index ?? 0) + match[0].length];
      if (!found.some((f) => overlaps(f.span, span))) found.push({ statedOn: rule.resolve(published), wording: match[0], span });
    }
  }
  for (const result of chrono.en.parse(text, { instant: new Date(published + DAY_MS / 2), timezone: 0 }, { forwardDate: false })) {
    const matched = result.text.replace(/[\s,;:.]+$/u, '');
    const wording = withPreposition(text, result.index, matched);
    const span: Span = [offset + wording.start, offset + result.index + matched.length];
    if (found.some((f) => overlaps(f.span, span)) || NOT_A_DAY.test(matched)) continue;
    const statedOn = edtfOf(result, published);
    if (statedOn) found.push({ statedOn, wording: wording.text, span });
  }
  return found.sort((a, b) => a.span[0] - b.span[0]);
}

/** Words chrono reads as a time that say nothing of when something was said. */
const NOT_A_DAY = /^(?:(?:right |just )?now|currently|at the moment)$/i;

const overlaps = (a: Span, b: Span) => a[0] < b[1] && b[0] < a[1];

/** "in January", "on Tuesday": the preposition is part of the wording the source used. */
function withPreposition(text: string, index: number, matched: string): { start: number; text: string } {
  const before = /\b(on|in|since|during)\s+$/i.exec(text.slice(Math.max(0, index - 8), index));
  if (!before || /^(on|in)\b/i.test(matched)) return { start: index, text: matched };
  return { start: index - before[0].length, text: `${before[0]}${matched}` };
}

/** A day where the wording names one (or a weekday, or "yesterday"), else its month or year; never after publication. */
function edtfOf(result: chrono.ParsedResult, published: number): string | null {
  const start = result.start;
  const knows = (unit: chrono.Component) => start.isCertain(unit);
  if (result.end || !(knows('day') || knows('weekday') || knows('month') || knows('year'))) return null;
  // "on Friday": the last Friday up to the day of publication (chrono may pick the coming one).
  if (knows('weekday') && !knows('day') && !knows('month')) return iso(published - ((new Date(published).getUTCDay() - (start.get('weekday') ?? 0) + 7) % 7) * DAY_MS);
  let year = start.get('year') ?? new Date(published).getUTCFullYear();
  const month = start.get('month') ?? 1;
  const day = knows('day') || knows('weekday') ? (start.get('day') ?? 1) : 1;
  // "in March" read in February: the last March, not the next one.
  if (!knows('year') && Date.UTC(year, month - 1, day) > published) year -= 1;
  const moment = Date.UTC(year, month - 1, day);
  if (moment > published) return null;
  if (!knows('day') && !knows('weekday') && !knows('month')) return String(year);
  if (!knows('day') && !knows('weekday')) return iso(moment).slice(0, 7);
  return iso(moment);
}
