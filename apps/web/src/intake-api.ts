/** The intake routes of the HTTP API (documented at /docs), as the intake page uses them, with the key of this tab. */

import type { Actor as ListedActor, Topic } from './api';

export type { Stance, Topic } from './api';

/** What the intake page needs of an actor from the list. */
export type Actor = Pick<ListedActor, 'id' | 'name'>;

export interface Candidate {
  candidateId: string;
  quote: string | null;
  quoteSpan: [number, number];
  speaker: { actorId: string | null; name: string | null; span: [number, number] | null };
  statedOn: string;
  statedOnWording: string | null;
  topicId: string | null;
  stance: string | null;
  stanceConfidence: number;
  cues: string[];
  state?: 'open' | 'accepted' | 'rejected';
  statementId?: string;
  reason?: string;
}

export interface Draft {
  draftId: string;
  text: string;
  source: { url?: string; title?: string; publisher?: string; publishedOn: string };
  topicId: string | null;
  candidates: Candidate[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Shared with the main page: a key given there works here, in this tab only. */
const KEY_STORAGE = 'positions.apiKey';

export class IntakeApi {
  get key(): string {
    try {
      return sessionStorage.getItem(KEY_STORAGE) ?? '';
    } catch {
      return '';
    }
  }

  set key(value: string) {
    try {
      if (value.trim()) sessionStorage.setItem(KEY_STORAGE, value.trim());
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      // Storage may be disabled: the key is then asked for again.
    }
  }

  topics(): Promise<Topic[]> {
    return this.request('GET', '/topics');
  }

  actors(): Promise<Actor[]> {
    return this.request('GET', '/actors');
  }

  take(body: Record<string, string>): Promise<{ draftId: string }> {
    return this.request('POST', '/intake', body);
  }

  draft(draftId: string): Promise<Draft> {
    return this.request('GET', `/intake/${encodeURIComponent(draftId)}`);
  }

  accept(draftId: string, candidateId: string, overrides: Record<string, string>): Promise<{ statementId: string }> {
    return this.request('POST', `/intake/${encodeURIComponent(draftId)}/candidates/${encodeURIComponent(candidateId)}/accept`, overrides);
  }

  reject(draftId: string, candidateId: string, reason: string): Promise<unknown> {
    return this.request('POST', `/intake/${encodeURIComponent(draftId)}/candidates/${encodeURIComponent(candidateId)}/reject`, { reason });
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const message = typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String((parsed as { message: unknown }).message) : response.statusText;
      throw new ApiError(response.status, message);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
