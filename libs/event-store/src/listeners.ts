import { Unsubscribe } from './event-store.port';

export type PositionListener = (lastPosition: number) => void;

/**
 * The in-process listeners of one store.
 *
 * Timing: `notify` queues one microtask per committed append, so listeners never run
 * inside the append's call stack (a listener that appends again, or throws, cannot
 * disturb the append that notified it), yet they have all run before the code awaiting
 * that append resumes. Microtasks run in order, so listeners see positions in commit order.
 */
export class Listeners {
  private readonly listeners = new Set<PositionListener>();

  constructor(private readonly onError: (error: unknown) => void = reportListenerError) {}

  subscribe(listener: PositionListener): Unsubscribe {
    // Wrapped so that subscribing the same function twice gives two independent subscriptions.
    const entry: PositionListener = (position) => listener(position);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  notify(lastPosition: number): void {
    queueMicrotask(() => {
      for (const listener of [...this.listeners]) {
        if (!this.listeners.has(listener)) continue; // unsubscribed by an earlier listener of this round
        // A throwing listener must neither fail the append (already committed) nor starve
        // the listeners after it; an exception escaping a microtask would crash the process.
        try {
          listener(lastPosition);
        } catch (error) {
          this.onError(error);
        }
      }
    });
  }

  clear(): void {
    this.listeners.clear();
  }
}

function reportListenerError(error: unknown): void {
  console.error('event store listener failed', error);
}
