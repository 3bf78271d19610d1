import type { Worker } from 'node:worker_threads';
import { moduleBeside, moduleThread } from './module-thread';
import type { SearchPage, StatementSearch } from './statement-search.reader';

/** The one who asked a search gave up (its signal aborted) before the thread took the search up: it was not run. */
export class SearchAbandoned extends Error {
  constructor() {
    super('the search was given up before it ran');
    this.name = 'SearchAbandoned';
  }
}

/** A search sent to the thread, with the suffix of the search view's generation that answers. */
export interface SearchRequest {
  id: number;
  search: StatementSearch;
  suffix: string;
}

/**
 * The thread's answer: a page; that generation is gone (follow the switch and ask again); or the
 * search failed there. `stopped` and `abandoned` are this side's: the thread ended before it
 * answered; the one who asked gave up (its signal) before the thread took the search up.
 */
export type SearchReply = { id: number } & ({ page: SearchPage } | { switched: true } | { failed: string } | { stopped: string } | { abandoned: true });

/** A search waiting on this side for the thread, or the one the thread is answering. */
interface Queued extends SearchRequest {
  resolve: (reply: SearchReply) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Statement searches on a thread of their own, with its own connection to the views file: a
 * search reads FTS5's lists of matches, and a few read long ones whatever their bounds (a
 * one-letter prefix merges the lists of every word it begins, ~250 ms at 1,000,000 statements;
 * a phrase of two common words checks the positions in every statement holding both). On the
 * event loop, such a search held every other request; here only the searches after it wait.
 * The thread starts with the first search and takes them one at a time, in order.
 *
 * The searches wait on this side, and the thread is sent one when it has answered the last: a
 * search whose asker gave up meanwhile (its `signal`, aborted when an HTTP client goes away) is
 * told `abandoned` and never run, so the searches behind it do not wait for it.
 *
 * Should the thread stop on its own (it could not open the file, or failed), the searches it
 * held are told `stopped`, `onError` hears why, and no thread is started again: every search is
 * then told `stopped` at once, and answered on the event loop, until the service restarts.
 */
export class SearchThread {
  private worker: Worker | null = null;
  private readonly queue: Queued[] = [];
  private answering: Queued | null = null;
  private nextId = 1;
  private failed: string | null = null;

  /** `file`: the views file (not `:memory:`: a thread opens it by name). */
  constructor(
    private readonly file: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  ask(search: StatementSearch, suffix: string, signal?: AbortSignal): Promise<SearchReply> {
    const id = this.nextId++;
    if (this.failed !== null) return Promise.resolve({ id, stopped: this.failed });
    if (signal?.aborted) return Promise.resolve({ id, abandoned: true });
    return new Promise<SearchReply>((resolve) => {
      const queued: Queued = { id, search, suffix, resolve, signal };
      if (signal) {
        queued.onAbort = () => this.abandon(queued);
        signal.addEventListener('abort', queued.onAbort, { once: true });
      }
      this.queue.push(queued);
      this.sendNext();
    });
  }

  /** How many searches wait for the thread, the one it answers included. */
  get waiting(): number {
    return this.queue.length + (this.answering ? 1 : 0);
  }

  /** Ends the thread; searches it held are told `stopped`, and the next search starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
    this.stopped('the search thread was closed');
  }

  /** The next search to the thread, if it answers none. */
  private sendNext(): void {
    if (this.answering || this.queue.length === 0) return;
    const worker = this.thread();
    const { id, search, suffix } = (this.answering = this.queue.shift() as Queued);
    // Idle, it keeps no process alive; it does while it answers a search.
    worker.ref();
    worker.postMessage({ id, search, suffix } satisfies SearchRequest);
  }

  /** A search given up before the thread took it up is answered at once; one under way is left to end (its page is dropped). */
  private abandon(queued: Queued): void {
    const at = this.queue.indexOf(queued);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.settle(queued, { id: queued.id, abandoned: true });
  }

  private settle(queued: Queued, reply: SearchReply): void {
    if (queued.onAbort) queued.signal?.removeEventListener('abort', queued.onAbort);
    queued.resolve(reply);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = moduleThread(moduleBeside(__filename, 'statement-search.thread'), { file: this.file });
    worker.unref();
    worker.on('message', (reply: SearchReply) => {
      const answered = this.answering;
      if (answered?.id !== reply.id) return;
      this.answering = null;
      worker.unref();
      this.settle(answered, reply);
      this.sendNext();
    });
    worker.on('error', (error) => this.ended(worker, error.message));
    worker.on('exit', (code) => this.ended(worker, `it exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private ended(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failed = `the search thread stopped: ${why}`;
    this.onError(new Error(`${this.failed}; searches run on the event loop until the service restarts`));
    this.stopped(this.failed);
  }

  private stopped(why: string): void {
    const held = [...(this.answering ? [this.answering] : []), ...this.queue.splice(0)];
    this.answering = null;
    for (const queued of held) this.settle(queued, { id: queued.id, stopped: why });
  }
}
