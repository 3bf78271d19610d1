import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a file whole or not at all (a crash leaves the old one), readable by the owner only. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

/**
 * Webhook secrets, kept beside the data (mode 0600) and never in the log: the log is exported
 * and replayed, a secret must not travel with it.
 */
export class WebhookSecrets {
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'webhook-secrets.json');
    if (existsSync(this.file)) chmodSync(this.file, 0o600);
  }

  get(id: string): string | null {
    return this.all()[id] ?? null;
  }

  set(id: string, secret: string): void {
    writeAtomically(this.file, JSON.stringify({ ...this.all(), [id]: secret }));
  }

  delete(id: string): void {
    const { [id]: _gone, ...rest } = this.all();
    writeAtomically(this.file, JSON.stringify(rest));
  }

  private all(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }
}

export type WebhookState = 'active' | 'failing' | 'disabled';

/** Where a webhook's delivery stands: the durable checkpoint and what went wrong last. */
export interface DeliveryState {
  state: WebhookState;
  /** Every message at or below this log position has been delivered (2xx). */
  deliveredThrough: number;
  failures: number;
  lastError: string | null;
  /** When the current run of failures began (ISO), null while delivering. */
  failingSince: string | null;
}

/** One small file per webhook, replaced atomically after each delivered log position. */
export class DeliveryCheckpoints {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'webhooks');
  }

  read(id: string): DeliveryState | null {
    const file = join(this.dir, `${id}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DeliveryState) : null;
  }

  write(id: string, state: DeliveryState): void {
    // Made on the first delivery: a data folder without webhooks holds nothing of theirs.
    mkdirSync(this.dir, { recursive: true });
    writeAtomically(join(this.dir, `${id}.json`), JSON.stringify(state));
  }
}
