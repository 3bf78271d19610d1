import { Injectable } from '@nestjs/common';

/** How long a refused write keeps `/health` down without a later one succeeding: probes must not keep it out forever. */
const FAILURE_SHOWN_MS = 60_000;

/**
 * Whether the store takes writes, as the last command found it. Reads alone cannot tell: a full disk or a read-only
 * file still answers them. Set by the errors filter (a store outage) and by every successful command.
 */
@Injectable()
export class WriteHealth {
  private failure: { reason: string; at: number } | null = null;

  failed(reason: string): void {
    this.failure = { reason, at: Date.now() };
  }

  succeeded(): void {
    this.failure = null;
  }

  /** The reason writes are refused, or null when the last one succeeded (or the last failure is old). */
  get refusal(): string | null {
    if (this.failure && Date.now() - this.failure.at > FAILURE_SHOWN_MS) this.failure = null;
    return this.failure?.reason ?? null;
  }
}
