import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InvalidValue, startInstant, utcDate } from '@positions/domain';
import { ReadModels, type StanceCountRuns } from '@positions/projections';
import { fingerprintOf } from './actor-pages';
import { requireTopic } from './answer-support';

/**
 * The most days one request may ask: ten years and leap days with room to spare. An answer
 * is then at most ~0.5 MB, and its cost grows with the days asked, never with the record.
 */
export const MAX_STANCE_COUNT_DAYS = 4000;
const DAY = 86_400_000;
/** A page stops before its days pass about this many bytes of JSON (a codebook of many long codes). */
export const STANCE_COUNT_PAGE_BYTES = 1_000_000;

/** `limit` (days, 1–4000, default all the range asks) and the `cursor` of a later page. */
export interface DaysPageRequest {
  limit?: number;
  cursor?: string;
}

export interface StanceCountsAnswer {
  topicId: string;
  from: string;
  to: string;
  /**
   * For each day, how many actors held each stance at its end (every code of the codebook,
   * zeros included): the JSON array `[{"date":"2025-02-26","counts":{"for":1}}, ...]` as
   * text, written straight from the view's runs of days (decision 0039).
   */
  days: JsonText;
  /** The cursor of the next page of days; null on the last. */
  next: string | null;
}

/** JSON already written, as UTF-8: the answer's formatter puts it in as it is. */
export class JsonText {
  constructor(readonly json: Buffer) {}
}

/** Daily counts of actors per stance on a topic, from a view of the changes of the counts per day. */
export class StanceCountsQuery extends Query<StanceCountsAnswer> {
  constructor(
    readonly topicId: string,
    readonly from: string,
    readonly to: string,
    readonly page: DaysPageRequest = {},
  ) {
    super();
  }
}

@QueryHandler(StanceCountsQuery)
export class StanceCountsHandler implements IQueryHandler<StanceCountsQuery> {
  constructor(private readonly views: ReadModels) {}

  async execute({ topicId, from, to, page = {} }: StanceCountsQuery): Promise<StanceCountsAnswer> {
    const first = Math.floor(startInstant(from, 'from') / DAY);
    const last = Math.floor(startInstant(to, 'to') / DAY);
    if (last < first) throw new InvalidValue('to must not be before from', 'to');
    if (last - first >= MAX_STANCE_COUNT_DAYS) throw new InvalidValue(`at most ${MAX_STANCE_COUNT_DAYS} days at a time`, 'to');
    const fingerprint = fingerprintOf(['stance-counts', topicId, from, to]);
    const start = page.cursor === undefined ? first : dayOfCursor(page.cursor, fingerprint, first, last);
    const end = Math.min(last, start + (page.limit ?? MAX_STANCE_COUNT_DAYS) - 1);
    const codes = requireTopic(this.views, topicId).stances.map((s) => s.code);
    const days = daysJson(this.views.stanceCountRuns(topicId, start, end, codes), codes.length, start);
    const next = days.end <= end ? cursorOf(fingerprint, days.end) : end < last ? cursorOf(fingerprint, end + 1) : null;
    return { topicId, from, to, days: new JsonText(days.json), next };
  }
}

/**
 * The JSON of the runs' days from day `start`, ended before the day that would take it past
 * STANCE_COUNT_PAGE_BYTES (the first day always goes in); `end` is the day after the last
 * written. The first `codes` stances are the codebook's, written even when zero. Written
 * into one buffer of the exact size, byte by byte, with no string per day or per run: a decade
 * has ~3,600 runs of different counts, and making, then copying, a string for each took most
 * of the answer's time.
 */
function daysJson({ stances, days, counts }: StanceCountRuns, codes: number, start: number): { json: Buffer; end: number } {
  const counted = new CountsWriter(stances, codes);
  const { taken, bytes } = pageOfRuns(days, (run) => counted.length(counts[run]));
  const json = Buffer.allocUnsafe(bytes);
  const date = new CalendarDay(start);
  // Each day is written with its comma; the first day's is then the array's opening bracket.
  let at = 0;
  taken.forEach((dayCount, run) => {
    // The run's counts are written after its first day; its other days copy them.
    let tail = -1;
    let tailLength = 0;
    for (let i = 0; i < dayCount; i++) {
      json.set(DAY_OPENING, at);
      at = date.write(json, at + DAY_OPENING.length);
      date.next();
      if (tail < 0) {
        tail = at;
        at = counted.write(json, at, counts[run]);
        tailLength = at - tail;
      } else {
        json.copyWithin(at, tail, tail + tailLength);
        at += tailLength;
      }
    }
  });
  json[0] = BRACKET_OPEN;
  json[at] = BRACKET_CLOSE;
  return { json, end: start + taken.reduce((sum, n) => sum + n, 0) };
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const DAY_OPENING = ascii(',{"date":"');
/** `","counts":{` after a date, `}}` after the counts. */
const COUNTS_OPENING = ascii('","counts":{');
const COUNTS_CLOSING = ascii('}}');
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;
/** `,{"date":"YYYY-MM-DD` */
const DATE_BYTES = DAY_OPENING.length + 10;

/** How many digits `n` (a whole number) takes, its sign included. */
const digits = (n: number): number => (n < 0 ? 1 + digits(-n) : n < 10 ? 1 : 1 + digits(Math.floor(n / 10)));

/**
 * A run's counts after its date: `","counts":{"code":n,...}}`, every one of the first `codes`
 * stances, then the others that are not zero. Ids, codes and dates are ASCII: latin1 bytes are
 * their UTF-8.
 */
class CountsWriter {
  private readonly keys: Buffer[];

  constructor(
    stances: readonly string[],
    private readonly codes: number,
  ) {
    this.keys = stances.map((stance) => ascii(`"${stance}":`));
  }

  private shown(counts: readonly number[], j: number): boolean {
    return j < this.codes || (counts[j] ?? 0) !== 0;
  }

  length(counts: readonly number[]): number {
    let bytes = COUNTS_OPENING.length + COUNTS_CLOSING.length;
    let first = true;
    for (let j = 0; j < this.keys.length; j++) {
      if (!this.shown(counts, j)) continue;
      bytes += (first ? 0 : 1) + this.keys[j].length + digits(counts[j] ?? 0);
      first = false;
    }
    return bytes;
  }

  /** Writes the counts at `at`; answers where they end. */
  write(into: Buffer, at: number, counts: readonly number[]): number {
    into.set(COUNTS_OPENING, at);
    at += COUNTS_OPENING.length;
    let first = true;
    for (let j = 0; j < this.keys.length; j++) {
      if (!this.shown(counts, j)) continue;
      if (!first) into[at++] = COMMA;
      into.set(this.keys[j], at);
      at = writeWhole(into, at + this.keys[j].length, counts[j] ?? 0);
      first = false;
    }
    into.set(COUNTS_CLOSING, at);
    return at + COUNTS_CLOSING.length;
  }
}

/** Writes a whole number in decimal at `at`; answers where it ends. */
function writeWhole(into: Buffer, at: number, n: number): number {
  if (n < 0) {
    into[at] = MINUS;
    return writeWhole(into, at + 1, -n);
  }
  const end = at + digits(n);
  for (let i = end - 1; i >= at; i--, n = Math.floor(n / 10)) into[i] = ZERO + (n % 10);
  return end;
}

/** A calendar day (UTC), written as `YYYY-MM-DD` and moved on a day at a time. */
class CalendarDay {
  private year: number;
  private month: number;
  private day: number;

  constructor(daysSinceEpoch: number) {
    [this.year, this.month, this.day] = utcDate(daysSinceEpoch * DAY).split('-').map(Number);
  }

  /** Writes the date at `at`; answers where it ends. */
  write(into: Buffer, at: number): number {
    writeTwo(into, at, Math.floor(this.year / 100));
    writeTwo(into, at + 2, this.year % 100);
    into[at + 4] = MINUS;
    writeTwo(into, at + 5, this.month);
    into[at + 7] = MINUS;
    writeTwo(into, at + 8, this.day);
    return at + 10;
  }

  next(): void {
    if (++this.day <= daysInMonth(this.year, this.month)) return;
    this.day = 1;
    if (++this.month <= 12) return;
    this.month = 1;
    this.year++;
  }
}

/** Writes 0–99 as two digits. */
function writeTwo(into: Buffer, at: number, n: number): void {
  into[at] = ZERO + Math.floor(n / 10);
  into[at + 1] = ZERO + (n % 10);
}

/** Days in `month` (1–12) of `year`, by the Gregorian rules. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** How many days of each run the page takes (`lengthOf`: the bytes of a run's counts after each date) and the page's bytes. */
function pageOfRuns(days: number[], lengthOf: (run: number) => number): { taken: number[]; bytes: number } {
  const taken: number[] = [];
  // The closing bracket (the opening one takes the first day's comma).
  let bytes = 1;
  for (let run = 0; run < days.length; run++) {
    const perDay = DATE_BYTES + lengthOf(run);
    const room = Math.floor((STANCE_COUNT_PAGE_BYTES - bytes) / perDay);
    const take = Math.min(days[run], run === 0 ? Math.max(1, room) : room);
    if (take <= 0) break;
    taken.push(take);
    bytes += take * perDay;
    if (take < days[run]) break;
  }
  return { taken, bytes };
}

const cursorOf = (f: string, day: number): string => Buffer.from(JSON.stringify({ f, d: day })).toString('base64url');

/** The first day of a later page, refused (400 on `cursor`) unless this service gave it for this same question. */
function dayOfCursor(text: string, fingerprint: string, first: number, last: number): number {
  let cursor: { f?: unknown; d?: unknown } = {};
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as typeof cursor;
  } catch {
    // Not base64url JSON: refused below like any other malformed cursor.
  }
  const { f, d } = cursor ?? {};
  if (typeof f !== 'string' || !Number.isSafeInteger(d)) throw new InvalidValue('cursor is not one this service gave: pass the `next` of the previous page unchanged', 'cursor');
  if (f !== fingerprint || (d as number) <= first || (d as number) > last) throw new InvalidValue('cursor belongs to another question: pass the same topic, from and to as the first page', 'cursor');
  return d as number;
}
