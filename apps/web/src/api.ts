/** The read side of the public HTTP API (documented at /docs), as the page uses it. */

export interface Stance {
  code: string;
  label: string;
  score: number;
}

export interface Topic {
  id: string;
  title: string;
  proposition: string;
  stances: Stance[];
  /** In the list of topics: how many actors have a statement on it. */
  speakers?: number;
}

export interface Affiliation {
  organizationId: string;
  role: string;
  from: string;
  until: string | null;
  speaksFor: boolean;
}

export interface Actor {
  id: string;
  name: string;
  kind: 'person' | 'government' | 'organization';
  aliases: string[];
  wikidataId: string | null;
  affiliations: Affiliation[];
}

export interface Source {
  url?: string;
  title?: string;
  publisher?: string;
  publishedOn?: string;
}

export type Shift = 'first' | 'no-flip' | 'half-flip' | 'full-flop';
export type Direction = 'toward' | 'away' | null;

/** The days a statement may have been said on (ISO-8601 UTC, starts of days; `latest` clipped at its recording). */
export interface StatedRange {
  earliest: string;
  latest: string;
}

/** How sure an answer is: `uncertain` when a statement that may have been made by then would give another answer. */
export type Certainty = 'certain' | 'uncertain';

/** Another answer the sources leave open (stance null: no position). */
export interface Alternative {
  stance: Stance | null;
  statementId: string | null;
}

/** What position answers add about their certainty (absent from answers of services before it). */
export interface Openness {
  certainty?: Certainty;
  alternatives?: Alternative[];
}

export interface TimelineEntry extends Partial<StatedRange> {
  statementId: string;
  statedOn: string;
  stance: Stance | null;
  summary: string;
  shift: Shift;
  direction: Direction;
}

export interface Timeline {
  actorId: string;
  topicId: string;
  entries: TimelineEntry[];
}

export interface Landscape {
  topicId: string;
  at: string;
  knownAt: string;
  positions: ({ actorId: string; stance: Stance | null; since: string; statementId: string } & Openness)[];
}

export interface PositionStatement extends Partial<StatedRange> {
  statementId: string;
  statedOn: string;
  statedOnWording?: string | null;
  summary: string;
  quote: string | null;
  source: Source;
  onBehalfOf?: string | null;
}

/** One actor's position at a date (`GET /api/actors/{actorId}/positions/{topicId}`). */
export interface Position extends Openness {
  actorId: string;
  topicId: string;
  at: string;
  knownAt: string;
  stance: Stance | null;
  since: string | null;
  statement: PositionStatement | null;
}

export interface Voice extends Openness {
  actorId: string;
  topicId: string;
  at: string;
  knownAt: string;
  stance: Stance | null;
  since: string | null;
  statement: PositionStatement | null;
  speaker: string | null;
  voices: { actorId: string; stance: Stance | null; statementId: string }[];
  divergent: boolean;
}

export interface Statement extends Partial<StatedRange> {
  statementId: string;
  statedOnWording?: string | null;
  actorId: string;
  topicId: string;
  stance: Stance | null;
  summary: string;
  quote: string | null;
  statedOn: string;
  source: Source;
  onBehalfOf: string | null;
  retracted: boolean;
  recordedAt: string;
  correctedAt: string | null;
}

export interface Envelope<T = Record<string, unknown>> {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamPosition: number;
  position: number;
  recordedAt: string;
  recordedBy: string;
  correlationId: string;
  causationId: string;
  data: T;
}

export interface StatementHistory {
  statementId: string;
  events: Envelope[];
}

/** `GET /api/topics/{t}/feed`: what the page draws a topic from, in one request (more only for topics over about 8 MB). */
export interface TopicFeed {
  topic: Topic;
  knownAt: string | null;
  actors: { actorId: string; timeline: Timeline; events: Envelope[]; retracted?: ({ statementId: string } & StatedRange)[] }[];
  voices: { organizationId: string; samples: { date: string; voice: Voice }[] }[];
  /** Every actor the feed names (on the first page). */
  directory: Actor[];
  next: string | null;
}

/** An error answer of the API (its body always has one `message`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** On a 429: the seconds its Retry-After asks to wait. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** The longest wait a 429's Retry-After may impose before the page gives up and offers a Retry button. */
const MAX_RETRY_WAIT_S = 20;

/** Seconds a Retry-After header asks for (a number or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** What a person reads when a request fails: what happened and what they can do, never a framework's exception name. */
export function readableError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return 'The service is busy: too many requests from this address. Wait a moment, then retry.';
    if (error.status === 404) return `Not found: ${error.message}`;
    if (error.status >= 500) return `The service failed to answer (${error.status}). Retry in a moment; if it keeps failing, tell whoever runs it.`;
    return `The service refused the request (${error.status}): ${error.message}`;
  }
  if (error instanceof TypeError) return 'The service could not be reached: check the connection, then retry.';
  return error instanceof Error ? error.message : String(error);
}

const KEY_STORAGE = 'positions.apiKey';

/**
 * GETs against the API of the page's own origin. No key is needed when `READ_ACCESS=public`; otherwise the page asks
 * for one and keeps it in this tab's sessionStorage only (never in the URL).
 */
export class Api {
  private key: string | null = readStoredKey();

  get hasKey(): boolean {
    return this.key !== null;
  }

  setKey(key: string | null): void {
    this.key = key && key.trim() ? key.trim() : null;
    try {
      if (this.key) sessionStorage.setItem(KEY_STORAGE, this.key);
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      // Storage may be disabled: the key then lasts as long as the page.
    }
  }

  /** The headers of a request that is not a JSON GET (the change stream). */
  authHeaders(): Record<string, string> {
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }

  /** Called while the page waits out a 429 (seconds to wait); the page says so. */
  onWait: (seconds: number) => void = () => undefined;

  /** A GET; a 429 is retried once after its Retry-After (when that is short), else thrown. */
  async get<T>(path: string, params: Record<string, string | null | undefined> = {}, signal?: AbortSignal): Promise<T> {
    try {
      return await this.getOnce<T>(path, params, signal);
    } catch (error) {
      const wait = error instanceof ApiError && error.status === 429 ? error.retryAfter : null;
      if (wait === null || wait > MAX_RETRY_WAIT_S) throw error;
      this.onWait(wait);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      return this.getOnce<T>(path, params, signal);
    }
  }

  private async getOnce<T>(path: string, params: Record<string, string | null | undefined>, signal?: AbortSignal): Promise<T> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(name, value);
    const search = query.toString();
    const url = `/api${path}${search ? `?${search}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    const response = await fetch(url, { headers, signal });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!response.ok) {
      const message = typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : response.statusText;
      throw new ApiError(response.status, message, retryAfterSeconds(response.headers.get('retry-after')));
    }
    return body as T;
  }

  topics(): Promise<Topic[]> {
    return this.get('/topics');
  }

  actors(): Promise<Actor[]> {
    return this.get('/actors');
  }

  timeline(actorId: string, topicId: string, knownAt: string | null): Promise<Timeline> {
    return this.get(`/actors/${enc(actorId)}/positions/${enc(topicId)}/timeline`, { knownAt });
  }

  landscape(topicId: string, at: string, knownAt: string | null, signal?: AbortSignal): Promise<Landscape> {
    return this.get(`/topics/${enc(topicId)}/positions`, { at, knownAt }, signal);
  }

  position(actorId: string, topicId: string, at: string, knownAt: string | null, signal?: AbortSignal): Promise<Position> {
    return this.get(`/actors/${enc(actorId)}/positions/${enc(topicId)}`, { at, knownAt }, signal);
  }

  voice(orgId: string, topicId: string, at: string, knownAt: string | null, signal?: AbortSignal): Promise<Voice> {
    return this.get(`/actors/${enc(orgId)}/voice/${enc(topicId)}`, { at, knownAt }, signal);
  }

  statement(statementId: string, knownAt: string | null): Promise<Statement> {
    return this.get(`/statements/${enc(statementId)}`, { knownAt });
  }

  history(statementId: string): Promise<StatementHistory> {
    return this.get(`/statements/${enc(statementId)}/history`);
  }

  /**
   * A topic's feed, following its pages; retracted statements included, so the page can show or hide them. The first
   * page carries the voices; each page names its own actors, so the directories are merged.
   */
  async feed(topicId: string, knownAt: string | null): Promise<TopicFeed> {
    const first = await this.get<TopicFeed>(`/topics/${enc(topicId)}/feed`, { knownAt, includeRetracted: 'true' });
    const named = new Set(first.directory.map((actor) => actor.id));
    for (let page = first; page.next !== null; ) {
      page = await this.get<TopicFeed>(`/topics/${enc(topicId)}/feed`, { knownAt, includeRetracted: 'true', cursor: page.next });
      first.actors.push(...page.actors);
      for (const actor of page.directory) {
        if (named.has(actor.id)) continue;
        named.add(actor.id);
        first.directory.push(actor);
      }
    }
    return first;
  }

  /** Every event of one stream, following the feed's pages. */
  async stream(streamId: string): Promise<Envelope[]> {
    const events: Envelope[] = [];
    let after = 0;
    for (;;) {
      const page = await this.get<{ events: Envelope[]; next: number | null }>('/events', { streamId, after: String(after), limit: '1000' });
      events.push(...page.events);
      if (page.next === null || page.events.length === 0) return events;
      after = page.next;
    }
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function readStoredKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}
