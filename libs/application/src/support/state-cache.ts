/** A folded stream: the decider that folded it, its state, and the stream position it reached. */
export interface CachedState {
  decider: unknown;
  state: unknown;
  position: number;
  /** An estimate of the memory the state holds, in bytes. */
  bytes: number;
}

/**
 * Folded states by stream, least recently used dropped first once their estimated bytes pass
 * `maxBytes`: a state holds every statement's text, so a count of entries says nothing about
 * memory. A state larger than the whole bound is not kept.
 */
export class StateCache {
  private readonly entries = new Map<string, CachedState>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  /** The estimated bytes of every state held. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  get(streamId: string): CachedState | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: CachedState): void {
    this.delete(streamId);
    if (entry.bytes > this.maxBytes) return;
    this.entries.set(streamId, entry);
    this.total += entry.bytes;
    for (const [oldest] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(streamId: string): void {
    const entry = this.entries.get(streamId);
    if (!entry) return;
    this.entries.delete(streamId);
    this.total -= entry.bytes;
  }
}

/** Per event folded into a state: its data as UTF-16 text, plus the objects around it. */
export const estimatedBytes = (data: unknown): number => 2 * JSON.stringify(data).length + 200;
