import type { Clock } from '@positions/application';

/**
 * The service's clock of recording (the store's `recordedAt`, the commands' facts). The demo
 * seeder alone sets it to the demo's own past moments while it records the sample into an empty
 * store (`demo-record.ts`); at every other time it is the clock it wraps.
 */
export class RecordingClock {
  private pinned: Date | null = null;

  constructor(private readonly base: Clock) {}

  readonly now: Clock = () => (this.pinned === null ? this.base() : new Date(this.pinned));

  /** Runs `work` with the clock at `moment` (ISO-8601 UTC), and the clock it wraps again after. */
  async at<T>(moment: string, work: () => Promise<T>): Promise<T> {
    this.pinned = new Date(moment);
    try {
      return await work();
    } finally {
      this.pinned = null;
    }
  }
}
