import type { Worker } from 'node:worker_threads';
import { moduleBeside, moduleThread } from './module-thread';
import type { SearchPage, StatementSearch } from './statement-search.reader';

/** A search sent to the thread, with the suffix of the search view's generation that answers. */
export interface SearchRequest {
  id: number;
  search: StatementSearch;
  suffix: string;
}

/**
 * The thread's answer: a page; that generation is gone (follow the switch and ask again); or the
 * search failed there. `stopped` is this side's: the thread ended before it answered.
 */
export type SearchReply = { id: number } & ({ page: SearchPage } | { switched: true } | { failed: string } | { stopped: string });

/**
 * Statement searches on a thread of their own, with its own connection to the views file: a
 * search reads FTS5's lists of matches, and a few read long ones whatever their bounds (a
 * one-letter prefix merges the lists of every word it begins, ~250 ms at 1,000,000 statements;
 * a phrase of two common words checks the positions in every statement holding both). On the
 * event loop, such a search held every other request; here only the searches after it wait.
 * The thread starts with the first search and takes them one at a time, in order. Should it
 * stop on its own (it could not open the file, or failed), the searches it held are told
 * `stopped`, `onError` hears why, and no thread is started again: every search is then told
 * `stopped` at once, and answered on the event loop, until the service restarts.
 */
export class SearchThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (reply: SearchReply) => void>();
  private nextId = 1;
  private failed: string | null = null;

  /** `file`: the views file (not `:memory:`: a thread opens it by name). */
  constructor(
    private readonly file: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  ask(search: StatementSearch, suffix: string): Promise<SearchReply> {
    const id = this.nextId++;
    if (this.failed !== null) return Promise.resolve({ id, stopped: this.failed });
    const worker = this.thread();
    return new Promise<SearchReply>((resolve) => {
      this.waiting.set(id, resolve);
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, search, suffix } satisfies SearchRequest);
    });
  }

  /** Ends the thread; searches it held are told `stopped`, and the next search starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
    this.stopped('the search thread was closed');
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = moduleThread(moduleBeside(__filename, 'statement-search.thread'), { file: this.file });
    // Idle, it keeps no process alive; it does while a search waits for it.
    worker.unref();
    worker.on('message', (reply: SearchReply) => {
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
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
    for (const [id, resolve] of this.waiting) resolve({ id, stopped: why });
    this.waiting.clear();
  }
}
