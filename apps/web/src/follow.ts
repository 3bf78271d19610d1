/**
 * "Follow": the service's change stream (GET /api/stream, Server-Sent Events) for the topic on
 * screen, or one actor on it, shown as a list of recent changes, newest first. Read with fetch
 * rather than EventSource so the API key can be sent; after a dropped connection it resumes
 * with Last-Event-ID, so nothing is missed and nothing shown twice.
 */
import type { Api, Stance } from './api';
import { h } from './dom';

const KEEP = 20;
const RECONNECT_MS = 3000;

interface Message {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

export interface FollowTarget {
  topicId: string;
  actorId: string | null;
}

export class Follow {
  private abort: AbortController | null = null;
  private lastId: string | null = null;
  private target: FollowTarget | null = null;

  constructor(
    private readonly api: Api,
    private readonly list: HTMLOListElement,
    private readonly status: HTMLElement,
    private readonly nameOf: (id: string) => string,
  ) {}

  get following(): boolean {
    return this.abort !== null;
  }

  start(target: FollowTarget): void {
    this.stop();
    this.target = target;
    this.lastId = null;
    this.abort = new AbortController();
    void this.run(this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.status.textContent = '';
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.read(signal);
      } catch {
        // A dropped connection: try again, resuming after the last message shown.
      }
      if (signal.aborted) return;
      this.status.textContent = 'Connection lost; reconnecting…';
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }

  private async read(signal: AbortSignal): Promise<void> {
    const { topicId, actorId } = this.target!;
    const query = new URLSearchParams({ topicId, ...(actorId && { actorId }) });
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.api.authHeaders(), ...(this.lastId && { 'last-event-id': this.lastId }) };
    const response = await fetch(`/api/stream?${query.toString()}`, { headers, signal });
    if (!response.ok || !response.body) throw new Error(`the stream answered ${response.status}`);
    this.status.textContent = `Following ${actorId ? this.nameOf(actorId) : 'every actor'}: changes appear here as they are recorded.`;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      pending += value;
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const message = parse(pending.slice(0, end));
        pending = pending.slice(end + 2);
        if (message) this.show(message);
      }
    }
  }

  private show(message: Message): void {
    this.lastId = message.id;
    const item = h('li', { class: 'change', 'data-type': message.event }, h('span', { class: 'change-type' }, message.event), ' ', describe(message, this.nameOf));
    this.list.prepend(item);
    while (this.list.children.length > KEEP) this.list.lastElementChild?.remove();
  }
}

function parse(block: string): Message | null {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
  }
  if (fields.data === undefined) return null;
  return { id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) as Record<string, unknown> };
}

const stanceOf = (stance: unknown) => (stance as Stance | null)?.label ?? 'no position';

/** The change in words: who, from what to what. */
export function describe(message: Message, nameOf: (id: string) => string): string {
  const d = message.data;
  switch (message.event) {
    case 'position-changed':
      return `${nameOf(String(d.actorId))}: ${stanceOf(d.before)} → ${stanceOf(d.after)}`;
    case 'voice-diverged':
      return `${nameOf(String(d.orgId))}'s spokespeople now disagree`;
    case 'voice-converged':
      return `${nameOf(String(d.orgId))}'s spokespeople agree again`;
    default:
      return `${nameOf(String(d.actorId))}: a statement was ${message.event === 'statement-corrected' ? 'corrected' : 'retracted'} (${String(d.reason)})`;
  }
}
