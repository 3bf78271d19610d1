/**
 * Follows $all with a catch-up subscription, to tell the store's listeners about appends made
 * by any writer (other service instances, the CLI), and keeps following across dropped
 * connections: after an error or an unexpected end it subscribes again from the last position
 * it saw, after a delay that doubles up to a ceiling, and resets once events flow again.
 */
import type { AllStreamResolvedEvent, ReadPosition } from '@kurrent/kurrentdb-client';
import { SubscriptionLike } from './kurrentdb-client';
import { readPositionAfter } from './kurrentdb-positions';

export interface FollowerOptions {
  /** Delay before the first resubscription; doubles with each failed attempt. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface FollowerPorts {
  /** Opens a subscription to $all from `from` (exclusive or inclusive: the follower drops what it has seen). */
  subscribe(from: ReadPosition): SubscriptionLike;
  /** The log's current last position, where the first subscription starts (0: empty). */
  tail(): Promise<number>;
  /** The port position of a domain event of this store; null for anything else (system events, claims). */
  positionOf(resolved: AllStreamResolvedEvent): number | null;
  /** Called with each new position, in log order. */
  onPosition(position: number): void;
  /** Told about each drop, e.g. for a log line. */
  onDrop(error: unknown, retryInMs: number): void;
  /** Told about an event the follower skipped because `positionOf` could not place it. */
  onUnreadable?(error: unknown): void;
}

export class LogFollower {
  private subscription: SubscriptionLike | null = null;
  /** Last position seen; null until the start position is known. */
  private last: number | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly ports: FollowerPorts,
    private readonly options: FollowerOptions,
  ) {}

  /** Where the follower would resume: the last position it saw (null before it first subscribed). */
  get checkpoint(): number | null {
    return this.last;
  }

  start(): void {
    void this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.detach();
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    try {
      // Starting from the current end as a concrete position (not END) means a drop before the
      // first event still resumes there, and nothing appended meanwhile goes unnoticed.
      if (this.last === null) this.last = await this.ports.tail();
      if (this.stopped) return;
      this.attach(this.ports.subscribe(readPositionAfter(this.last)));
    } catch (error) {
      this.dropped(null, error);
    }
  }

  private attach(subscription: SubscriptionLike): void {
    this.subscription = subscription;
    subscription.on('data', (resolved) => this.received(subscription, resolved));
    subscription.on('caughtUp', () => {
      if (subscription === this.subscription) this.failures = 0;
    });
    subscription.on('error', (error) => this.dropped(subscription, error));
    subscription.on('end', () => this.dropped(subscription, new Error('the subscription ended')));
    subscription.on('close', () => this.dropped(subscription, new Error('the subscription closed')));
  }

  private received(subscription: SubscriptionLike, resolved: AllStreamResolvedEvent): void {
    if (subscription !== this.subscription) return; // a late event of a dropped subscription
    let position: number | null;
    try {
      position = this.ports.positionOf(resolved);
    } catch (error) {
      // An event the store cannot place (a legacy transaction's): skipped, as reads refuse it; thrown here it would end the process.
      this.ports.onUnreadable?.(error);
      return;
    }
    if (position === null || (this.last !== null && position <= this.last)) return;
    this.last = position;
    this.failures = 0;
    this.ports.onPosition(position);
  }

  /** Handles a drop once per subscription (an error is often followed by close). */
  private dropped(subscription: SubscriptionLike | null, error: unknown): void {
    if (this.stopped || subscription !== this.subscription) return;
    void this.detach();
    const delay = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.failures);
    this.failures++;
    this.ports.onDrop(error, delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.open();
    }, delay);
    this.timer.unref();
  }

  private async detach(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    if (!subscription) return;
    // Listeners stay until the unsubscribe is done, so a late 'error' finds a handler
    // (an EventEmitter without one would throw); they ignore it, being detached.
    try {
      await subscription.unsubscribe();
    } catch {
      // already broken
    } finally {
      subscription.removeAllListeners();
      subscription.on('error', () => undefined);
    }
  }
}
