import { Logger } from '@nestjs/common';
import { type Clock, matchesFilter, type MessageFilter, type WatchDispatcher, type WatchMessage } from '@positions/application';
import { Webhook } from 'standardwebhooks';
import type { DeliveryCheckpoints, DeliveryState } from './webhook-files';
import { webhookUrlProblem } from './webhook-url';

/** A 2xx within this long counts as delivered. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Failures are retried this long (by the service's clock), then the webhook is disabled. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface RetryPolicy {
  /** The first wait after a failure; each further failure doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 60 * 60 * 1000 };

export interface WebhookSettings {
  id: string;
  url: string;
  filter: MessageFilter;
  secret: string;
}

export interface WorkerDeps {
  dispatcher: WatchDispatcher;
  checkpoints: DeliveryCheckpoints;
  clock: Clock;
  allowPrivate: boolean;
  retry: RetryPolicy;
}

/** Exponential back-off with jitter: half to all of `base · 2^(failures-1)`, capped. */
export function backoffMs(failures: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Delivers one webhook's messages in log order, one at a time, from its durable checkpoint:
 * the checkpoint moves only after every message of a log position got a 2xx, so a crash
 * redelivers (at least once) and never skips. Each webhook has its own loop, so a slow
 * receiver holds up only itself.
 */
export class WebhookWorker {
  private readonly logger = new Logger('Webhooks');
  private readonly signer: Webhook;
  private stopped = false;
  /** Ends an idle wait (new messages); `interrupt` ends any wait, back-off included (stop). */
  private wake: (() => void) | null = null;
  private interrupt: (() => void) | null = null;
  private running: Promise<void> | null = null;
  /** Cuts a delivery in flight short on stop: shutting down never waits for a slow receiver. */
  private readonly halt = new AbortController();

  constructor(
    readonly settings: WebhookSettings,
    public delivery: DeliveryState,
    private readonly deps: WorkerDeps,
  ) {
    this.signer = new Webhook(settings.secret);
  }

  start(): void {
    this.running ??= this.run().catch((error: unknown) => this.logger.error(`webhook ${this.settings.id} stopped: ${String(error)}`));
  }

  /** New messages may be there. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halt.abort();
    this.interrupt?.();
    await this.running;
  }

  private async run(): Promise<void> {
    // Until the dispatcher has loaded its checkpoint its position is 0: a worker behind would
    // take itself for up to date and wait for a new message (up to a minute) before resuming.
    await this.deps.dispatcher.caughtUp();
    while (!this.stopped && this.delivery.state !== 'disabled') {
      const through = this.deps.dispatcher.position;
      if (through <= this.delivery.deliveredThrough) {
        await this.pause(60_000, true);
        continue;
      }
      // A page at a time: a worker far behind (a receiver down for hours) holds one page of messages, not all it missed.
      let delivered = true;
      const deliver = async (page: WatchMessage[]) => (delivered = await this.deliverAll(page.filter((m) => matchesFilter(this.settings.filter, m))));
      await this.deps.dispatcher.replay(this.delivery.deliveredThrough, through, deliver, { queued: false });
      if (!delivered) return;
      this.save({ deliveredThrough: through });
    }
  }

  /** Delivers position by position; false when stopped or disabled on the way. */
  private async deliverAll(messages: WatchMessage[]): Promise<boolean> {
    for (let i = 0; i < messages.length; i++) {
      if (!(await this.deliverWithRetries(messages[i], i))) return false;
      const next = messages[i + 1];
      if (!next || next.position !== messages[i].position) this.save({ deliveredThrough: messages[i].position });
    }
    return true;
  }

  private async deliverWithRetries(message: WatchMessage, index: number): Promise<boolean> {
    for (;;) {
      if (this.stopped) return false;
      const error = await this.send(message, index);
      // Cut short by a shutdown: not the receiver's failure; the next start sends it again.
      if (this.stopped) return false;
      if (error === null) {
        if (this.delivery.state !== 'active') this.save({ state: 'active', failures: 0, failingSince: null });
        return true;
      }
      const now = this.deps.clock();
      const failingSince = this.delivery.failingSince ?? now.toISOString();
      const disabled = now.getTime() - Date.parse(failingSince) >= RETRY_WINDOW_MS;
      this.save({ state: disabled ? 'disabled' : 'failing', failures: this.delivery.failures + 1, lastError: error, failingSince });
      if (disabled) return false;
      await this.pause(backoffMs(this.delivery.failures, this.deps.retry), false);
    }
  }

  /** One POST, signed as Standard Webhooks sign; the error in words, or null on a 2xx. */
  private async send(message: WatchMessage, index: number): Promise<string | null> {
    const problem = await webhookUrlProblem(this.settings.url, this.deps.allowPrivate);
    if (problem) return `refused: the URL ${problem}`;
    const now = this.deps.clock();
    // The same id on every attempt, so a receiver can drop what it already has.
    const id = `msg_${this.settings.id}_${message.position}_${index}`;
    const body = JSON.stringify({ type: message.type, position: message.position, timestamp: now.toISOString(), data: message.data });
    const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': this.signer.sign(id, now, body) };
    try {
      const response = await fetch(this.settings.url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.halt.signal]) });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300 ? null : `the receiver answered ${response.status}`;
    } catch (error) {
      return `could not deliver: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
    }
  }

  private save(change: Partial<DeliveryState>): void {
    this.delivery = { ...this.delivery, ...change };
    this.deps.checkpoints.write(this.settings.id, this.delivery);
  }

  /** Waits `ms`, or less when stopped, or when notified if `wakeable` (a back-off is not cut short by new messages). */
  private pause(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      if (wakeable) this.wake = done;
    });
  }
}
