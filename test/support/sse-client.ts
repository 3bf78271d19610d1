/** One Server-Sent Event as a client sees it: `data` parsed from JSON. */
export interface SseMessage {
  id: string;
  event: string;
  data: any;
}

export interface SseClient {
  readonly status: number;
  readonly messages: SseMessage[];
  /** Comment lines seen (heartbeats). */
  readonly comments: number;
  /** Resolves once `count` messages have arrived in all (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

/**
 * A stream client over fetch, parsing the event-stream format as EventSource does (fields
 * `id`, `event`, `data`; comments start with ':'), so tests see exactly what a browser sees.
 */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  let comments = 0;
  let waiters: (() => void)[] = [];
  const consume = async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed === 'comment') comments += 1;
        else if (parsed) messages.push(parsed);
      }
      waiters.forEach((wake) => wake());
    }
  };
  void consume().catch(() => undefined);
  return {
    status: response.status,
    messages,
    get comments() {
      return comments;
    },
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}: ${JSON.stringify(messages)}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200);
        });
        waiters = [];
      }
      return messages.slice(0, count);
    },
    close: () => abort.abort(),
  };
}

function parseBlock(block: string): SseMessage | 'comment' | null {
  const fields: Record<string, string> = {};
  let comment = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comment = true;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    fields[name] = name in fields && name === 'data' ? `${fields[name]}\n${value}` : value;
  }
  if (fields.data === undefined) return comment ? 'comment' : null;
  return { id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) };
}
