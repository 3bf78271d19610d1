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
 * into one buffer of the exact size, each day with one write (a decade makes a few thousand
 * small strings, not a graph of objects to serialise or a rope of strings to flatten).
 */
function daysJson({ stances, days, counts }: StanceCountRuns, codes: number, start: number): { json: Buffer; end: number } {
  const keys = stances.map((stance) => `"${stance}":`);
  const { tails, taken, bytes } = pageOfRuns(days, (run) => `","counts":${countsJson(keys, counts[run], codes)}}`);
  // Ids, codes and dates are ASCII: latin1 writes them as UTF-8 would, one byte per character.
  const json = Buffer.allocUnsafe(bytes);
  // Each day is written with its comma; the first day's is then the array's opening bracket.
  let at = 0;
  let day = start;
  let date = '';
  tails.forEach((tail, run) => {
    for (let i = 0; i < taken[run]; i++, day++) {
      date = nextDate(date, day * DAY);
      at += json.write(`,{"date":"${date}${tail}`, at, 'latin1');
    }
  });
  json.write('[', 0, 'latin1');
  json.write(']', at, 'latin1');
  return { json, end: day };
}

/** `,{"date":"YYYY-MM-DD` */
const DATE_BYTES = 20;

/** How many days of each run the page takes, each run's JSON after its dates, and the page's bytes. */
function pageOfRuns(days: number[], tailOf: (run: number) => string): { tails: string[]; taken: number[]; bytes: number } {
  const tails: string[] = [];
  const taken: number[] = [];
  // The closing bracket (the opening one takes the first day's comma).
  let bytes = 1;
  for (let run = 0; run < days.length; run++) {
    const tail = tailOf(run);
    const room = Math.floor((STANCE_COUNT_PAGE_BYTES - bytes) / (DATE_BYTES + tail.length));
    const take = Math.min(days[run], run === 0 ? Math.max(1, room) : room);
    if (take <= 0) break;
    tails.push(tail);
    taken.push(take);
    bytes += take * (DATE_BYTES + tail.length);
    if (take < days[run]) break;
  }
  return { tails, taken, bytes };
}

/** `{"code":n,...}`: every one of the first `codes`, then the others that are not zero. */
function countsJson(keys: string[], counts: number[], codes: number): string {
  let json = '{';
  for (let j = 0; j < keys.length; j++) {
    const n = counts[j] ?? 0;
    if (j < codes || n !== 0) json += `${json.length > 1 ? ',' : ''}${keys[j]}${n}`;
  }
  return `${json}}`;
}

/**
 * The date of the day after `previous` (`YYYY-MM-DD`, or '' for the first), which starts at
 * `ms`: its day of month plus one while that stays within the 28 days every month has, the
 * calendar's answer otherwise (ten years by day would format 3,653 instants).
 */
function nextDate(previous: string, ms: number): string {
  const dayOfMonth = previous === '' ? 28 : Number(previous.slice(8));
  if (dayOfMonth >= 28) return utcDate(ms);
  return `${previous.slice(0, 8)}${dayOfMonth < 9 ? '0' : ''}${dayOfMonth + 1}`;
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
