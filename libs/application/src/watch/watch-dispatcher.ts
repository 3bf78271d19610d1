import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EventStore, Unsubscribe } from '@positions/event-store';
import { EVENT_STORE } from '../tokens';
import { MessageDeriver } from './message-deriver';
import type { WatchMessage } from './watch-messages';

/** Events read from the log at a time, while catching up or following. */
const PAGE = 1000;
/** Messages kept in memory for clients resuming a little behind; older ones are re-derived from the log. */
export const RECENT_MESSAGES = 10_000;

export type MessageListener = (messages: readonly WatchMessage[]) => void;

/**
 * The one reader of the log for watchers: derives messages in log order and fans them out to
 * every stream client and webhook worker, so a thousand clients cost one subscription.
 */
@Injectable()
export class WatchDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Watch');
  private readonly deriver = new MessageDeriver();
  private readonly listeners = new Set<MessageListener>();
  private recent: WatchMessage[] = [];
  /** How many messages stay in memory (lowered in tests to reach the re-derivation). */
  recentLimit = RECENT_MESSAGES;
  /** Messages at or below this position are no longer in `recent`. */
  private forgottenThrough = 0;
  private unsubscribe: Unsubscribe | null = null;
  private reading: Promise<void> | null = null;
  private again = false;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The log position through which messages have been derived and sent to listeners. */
  get position(): number {
    return this.deriver.position;
  }

  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.store.subscribe(() => void this.follow());
    await this.follow();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.listeners.clear();
  }

  /** Calls `listener` with each new batch of messages, in log order, until unsubscribed. */
  listen(listener: MessageListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Messages with `after < position <= through`, in order: from memory when recent, else re-derived from the log. */
  async between(after: number, through: number): Promise<WatchMessage[]> {
    if (after >= this.forgottenThrough) return this.recent.filter((m) => m.position > after && m.position <= through);
    const deriver = new MessageDeriver();
    const found: WatchMessage[] = [];
    while (deriver.position < through) {
      const page = await this.store.readAll({ after: deriver.position, limit: PAGE });
      if (page.length === 0) break;
      for (const event of page) {
        if (event.position > through) return found;
        found.push(...deriver.apply(event).filter((m) => m.position > after));
      }
    }
    return found;
  }

  /** Reads what the log has beyond `position`; one reading at a time, repeated when notified meanwhile. */
  private follow(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readToEnd()
      .catch((error: unknown) => this.logger.error(`reading the log for watchers failed: ${String(error)}`))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          void this.follow();
        }
      });
    return this.reading;
  }

  private async readToEnd(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.deriver.position, limit: PAGE });
      if (page.length === 0) return;
      const messages = page.flatMap((event) => this.deriver.apply(event));
      if (messages.length > 0) this.publish(messages);
      // Between pages, let requests in: catching up with a long log must not stall the service.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private publish(messages: WatchMessage[]): void {
    this.recent.push(...messages);
    if (this.recent.length > this.recentLimit) {
      const cut = this.recent.length - this.recentLimit;
      this.forgottenThrough = this.recent[cut - 1].position;
      this.recent = this.recent.slice(cut);
    }
    for (const listener of this.listeners) {
      // One failing client must not keep the messages from the others.
      try {
        listener(messages);
      } catch (error) {
        this.logger.warn(`a watcher failed: ${String(error)}`);
      }
    }
  }
}
