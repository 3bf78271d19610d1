import type { ViewsInStep } from '@positions/application';
import { SqliteEventStore } from '@positions/event-store/sqlite';
import { ALL_PROJECTIONS, openViewsDatabase, ProjectionRunner } from '@positions/projections';
import { isMainThread, parentPort, type MessagePort, Worker, workerData } from 'node:worker_threads';

const ROLE = 'positions-import-views';

export interface ViewsThreadOptions {
  eventsFile: string;
  viewsFile: string;
  /** Events per view transaction: large, so that each page of an index is written once for many rows. */
  batchSize: number;
  /** Written rows the views may trail by while the import goes on. */
  trailingRows: number;
  /** The same, once the views are built in bulk: they then take in many batches at once, now and then, as the search's words are written (see `statementSearch`). */
  bulkTrailingRows: number;
  cacheKiB: number;
  walAutocheckpointPages: number;
}

interface WorkerData extends ViewsThreadOptions {
  role: typeof ROLE;
}

/** From the thread: the views' position after a catch-up; a view that failed (it stops, the others go on); what it is doing at length; the thread itself failed. */
type Reply = { position: number } | { warning: string } | { note: string } | { error: string };
/** To the thread: catch up with this position; build every view anew in bulk (ProjectionRunner.buildInBulk); or finish and close. */
type Request = number | 'bulk' | 'close';

/**
 * The views of the embedded store, fed on a thread of their own while the import writes: the
 * main thread checks and writes the next batches while this one applies the last ones. It runs
 * a ProjectionRunner as the application's (the same projections on the same views file, each
 * batch applied with its checkpoint in one transaction) on connections of its own; the
 * checkpoints in the views file keep the two runners from applying an event twice. Views take
 * in far larger batches here than the application's runner does: with indexes much larger than
 * a batch, a commit writes about a page per row and index, so the bigger the batch, the fewer
 * pages per row.
 *
 * Should the thread fail, the views are fed on the main thread by `fallback` (the application's
 * runner), as they are without a thread.
 */
export class ViewsThread implements ViewsInStep {
  trailingRows: number;
  private readonly bulkTrailingRows: number;
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private reached = 0;
  private requested = 0;
  private failure: Error | null = null;
  private readonly waiting: { position: number; resolve: () => void }[] = [];

  constructor(
    options: ViewsThreadOptions,
    private readonly fallback: ViewsInStep,
    private readonly warn: (message: string) => void,
    private readonly note: (message: string) => void = () => undefined,
  ) {
    this.trailingRows = options.trailingRows;
    this.bulkTrailingRows = options.bulkTrailingRows;
    this.worker = new Worker(__filename, { workerData: { role: ROLE, ...options } satisfies WorkerData });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (reply: Reply) => {
      if ('error' in reply) this.fail(new Error(reply.error));
      else if ('warning' in reply) this.warn(reply.warning);
      else if ('note' in reply) this.note(reply.note);
      else this.advance(reply.position);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => this.fail(new Error(`it stopped (exit code ${code})`)));
  }

  request(position: number): void {
    if (this.failure || position <= this.requested) return;
    this.requested = position;
    this.worker.postMessage(position satisfies Request);
  }

  /**
   * Builds every view anew, in bulk, beside the serving ones, from the next catch-up on; `close`
   * switches to them. Should the thread fail, the fallback feeds the serving views, and the next
   * start of the service or the CLI finishes the builds event by event.
   */
  buildInBulk(): void {
    if (this.failure) return;
    this.worker.postMessage('bulk' satisfies Request);
    this.trailingRows = this.bulkTrailingRows;
  }

  async waitFor(position: number): Promise<void> {
    this.request(position);
    if (!this.failure && this.reached < position) await new Promise<void>((resolve) => this.waiting.push({ position, resolve }));
    if (this.failure) await this.fallback.waitFor(position);
  }

  /**
   * Lets the thread finish what it was asked (views built in bulk: caught up, indexed and
   * switched to), close its connections and stop; stopped regardless after `timeoutMs`.
   */
  async close(timeoutMs = 600_000): Promise<void> {
    if (!this.failure) this.worker.postMessage('close' satisfies Request);
    const timer = setTimeout(() => void this.worker.terminate(), timeoutMs).unref();
    await this.exited;
    clearTimeout(timer);
  }

  private advance(position: number): void {
    this.reached = Math.max(this.reached, position);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i].position <= this.reached) this.waiting.splice(i, 1)[0].resolve();
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    if (this.requested > this.reached) this.warn(`the views thread failed (${error.message}): the views catch up on the main thread`);
    for (const waiter of this.waiting.splice(0)) waiter.resolve();
  }
}

/** The thread's side: catches up with the last position asked for, tells how far it got. */
function serve(data: WorkerData, port: MessagePort): void {
  const store = SqliteEventStore.open(data.eventsFile, { cacheKiB: data.cacheKiB, walAutocheckpointPages: data.walAutocheckpointPages });
  const db = openViewsDatabase(data.viewsFile);
  db.pragma(`wal_autocheckpoint = ${data.walAutocheckpointPages}`);
  const reply = (message: Reply) => port.postMessage(message);
  const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, { log: () => undefined, error: (warning) => reply({ warning }) }, data.batchSize);
  let target = 0;
  let served = 0;
  let closing = false;
  let busy = false;
  let building = false;
  const close = async () => {
    try {
      if (building) {
        reply({ note: 'views: finishing the views built anew for this import (indexes, counts, search)' });
        const started = Date.now();
        await runner.finishBuilds();
        reply({ note: `views: built anew in ${((Date.now() - started) / 1000).toFixed(1)} s after the last row` });
      }
    } catch (error) {
      reply({ warning: `the views built anew did not finish (${error instanceof Error ? error.message : String(error)}): the next start finishes them` });
    }
    await store.close();
    db.close();
    port.close();
  };
  const pump = async () => {
    busy = true;
    try {
      while (served < target) {
        const goal = target;
        await runner.waitFor(goal);
        served = goal;
        reply({ position: goal });
      }
    } catch (error) {
      reply({ error: error instanceof Error ? error.message : String(error) });
      closing = true;
    } finally {
      busy = false;
    }
    if (closing) await close();
  };
  port.on('message', (request: Request) => {
    if (request === 'close') closing = true;
    else if (request === 'bulk') {
      building = true;
      runner.buildInBulk();
    } else target = Math.max(target, request);
    if (!busy) void pump();
  });
}

if (!isMainThread && parentPort && (workerData as Partial<WorkerData> | null)?.role === ROLE) serve(workerData as WorkerData, parentPort);
