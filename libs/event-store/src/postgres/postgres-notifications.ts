import { Client, type ClientConfig, type Notification } from 'pg';

export interface NotificationsOptions {
  config: ClientConfig;
  channel: string;
  /** Called with the last position an append of any instance announced. */
  onPosition: (position: number) => void;
  /** Called every `pollMs` while following: the fallback for notifications lost while disconnected. */
  poll: () => void;
  pollMs: number;
  /** How long to wait before listening again after the connection dropped. */
  retryMs?: number;
}

/**
 * How one instance hears of the appends of the others: `LISTEN` on a connection of its own (a
 * pool connection cannot keep listening), and polling as a fallback, because notifications sent
 * while the connection is down are lost for good. Started with the first subscriber, stopped
 * with the store; neither keeps the process alive.
 */
export class PostgresNotifications {
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: NotificationsOptions) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(this.options.poll, this.options.pollMs).unref();
    this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private listen(): void {
    if (this.stopped) return;
    const client = new Client(this.options.config);
    this.client = client;
    client.on('notification', (message: Notification) => this.heard(message));
    // A dropped connection: poll once for what may have been missed, and listen again later.
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    client
      .connect()
      .then(() => client.query(`LISTEN "${this.options.channel}"`))
      .then(() => this.unref(client))
      .catch(() => this.reconnect(client));
  }

  private heard(message: Notification): void {
    const position = Number(message.payload);
    if (message.channel === this.options.channel && Number.isSafeInteger(position)) this.options.onPosition(position);
  }

  private reconnect(client: Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.options.poll();
    this.retry = setTimeout(() => this.listen(), this.options.retryMs ?? 1000).unref();
  }

  /** The listening socket must not keep a CLI or a test process alive. */
  private unref(client: Client): void {
    const socket = (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream;
    socket?.unref?.();
  }
}
