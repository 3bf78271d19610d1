import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InvalidValue, startInstant, utcDate } from '@positions/domain';
import { ReadModels } from '@positions/projections';
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
  /** For each day, how many actors held each stance at its end (every code of the codebook, zeros included). */
  days: { date: string; counts: Record<string, number> }[];
  /** The cursor of the next page of days; null on the last. */
  next: string | null;
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
    const topic = requireTopic(this.views, topicId);
    const codes = topic.stances.map((s) => s.code);
    const sizeOf = measurer();
    const days: StanceCountsAnswer['days'] = [];
    let bytes = 0;
    let shared: Record<string, number> | null = null;
    let dayBytes = 0;
    let date = '';
    for (const [i, counts] of this.views.stanceCounts(topicId, start, end, codes).entries()) {
      // Days with the same counts share one object from the view: measure it once.
      if (counts !== shared) {
        shared = counts;
        dayBytes = sizeOf(counts);
      }
      // Over the byte bound: this page ends before the day, which opens the next one.
      if (days.length > 0 && bytes + dayBytes > STANCE_COUNT_PAGE_BYTES) return { topicId, from, to, days, next: cursorOf(fingerprint, start + i) };
      date = nextDate(date, (start + i) * DAY);
      days.push({ date, counts });
      bytes += dayBytes;
    }
    return { topicId, from, to, days, next: end < last ? cursorOf(fingerprint, end + 1) : null };
  }
}

/** The bytes of `{"date":"YYYY-MM-DD","counts":{}}` and the comma after it. */
const DAY_BYTES = 34;

/** The bytes of a day's JSON, counted from the codes' lengths and the counts' digits instead of serialising each day. */
function measurer() {
  const keyBytes = new Map<string, number>();
  const bytesOfKey = (code: string) => keyBytes.get(code) ?? keyBytes.set(code, Buffer.byteLength(JSON.stringify(code)) + 2).get(code) ?? 0;
  return (counts: Record<string, number>) => {
    let bytes = DAY_BYTES;
    for (const code in counts) bytes += bytesOfKey(code) + String(counts[code]).length;
    return bytes;
  };
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
