import { Inject, Injectable, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown, UnprocessableEntityException } from '@nestjs/common';
import { CLOCK, type Clock, type CommandContext, EVENT_STORE, IdempotencyKeyReused, type MessageFilter, WatchDispatcher } from '@positions/application';
import { type EventStore, IdempotencyKeyTaken, type Unsubscribe } from '@positions/event-store';
import { randomBytes, randomUUID } from 'node:crypto';
import { errorBody } from '../common/error-body';
import { DeliveryCheckpoints, type DeliveryState, WebhookSecrets } from './webhook-files';
import { webhookUrlProblem } from './webhook-url';
import { DEFAULT_RETRY, type RetryPolicy, WebhookWorker } from './webhook-worker';
import type { RegisteredWebhookResponse, WebhookResponse } from './webhooks.dto';

export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

export interface WebhookOptions {
  dataDir: string;
  /** `WEBHOOK_ALLOW_PRIVATE=true`: loopback, link-local and private targets allowed. */
  allowPrivate: boolean;
  retry?: RetryPolicy;
}

/** Webhooks live in the log (without their secrets) in streams of their own. */
const webhookStream = (id: string) => `webhook-${id}`;
const REGISTERED = 'WebhookRegistered';
const REMOVED = 'WebhookRemoved';

interface Registration {
  id: string;
  url: string;
  filters: MessageFilter;
  /** The log position of its registration: it receives what comes after. */
  position: number;
}

/** Registers webhooks and runs one delivery worker for each, fed by the watch dispatcher. */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly secrets: WebhookSecrets;
  private readonly checkpoints: DeliveryCheckpoints;
  private readonly workers = new Map<string, WebhookWorker>();
  private unlisten: Unsubscribe | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dispatcher: WatchDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {
    this.secrets = new WebhookSecrets(options.dataDir);
    this.checkpoints = new DeliveryCheckpoints(options.dataDir);
  }

  async onApplicationBootstrap(): Promise<void> {
    const events = await this.store.readAll({ types: [REGISTERED, REMOVED] });
    const live = new Map<string, Registration>();
    for (const event of events) {
      const data = event.data as Omit<Registration, 'position'>;
      if (event.type === REGISTERED) live.set(data.id, { ...data, position: event.position });
      else live.delete(data.id);
    }
    for (const registration of live.values()) this.startWorker(registration);
    this.unlisten = this.dispatcher.listen(() => this.workers.forEach((worker) => worker.notify()));
  }

  async onApplicationShutdown(): Promise<void> {
    this.unlisten?.();
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
  }

  /** Registers a webhook; a repeat with the same `Idempotency-Key` answers as the first time (secret included) and writes nothing. */
  async register(url: string, filters: MessageFilter, context: CommandContext): Promise<RegisteredWebhookResponse> {
    const replayed = await this.replay(context);
    if (replayed) return replayed;
    const problem = await webhookUrlProblem(url, this.options.allowPrivate);
    if (problem) throw new UnprocessableEntityException(errorBody(422, `url ${problem}`, [{ field: 'url', problem }]));
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    // The secret is kept first: a webhook in the log without its secret could not sign.
    this.secrets.set(id, secret);
    const data = { id, url, filters };
    let written;
    try {
      written = await this.store.append(webhookStream(id), [{ type: REGISTERED, schemaVersion: 1, data }], -1, context);
    } catch (error) {
      // A parallel request with the same key won: answer as it did.
      const won = error instanceof IdempotencyKeyTaken ? await this.replay(context) : null;
      if (won) return won;
      throw error;
    }
    this.startWorker({ ...data, position: written.position });
    return { ...data, secret };
  }

  private async replay({ idempotency }: CommandContext): Promise<RegisteredWebhookResponse | null> {
    if (!idempotency) return null;
    const earlier = await this.store.findIdempotent(idempotency.key);
    if (!earlier) return null;
    if (earlier.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused();
    const data = earlier.events[0].data as Omit<Registration, 'position'>;
    return { ...data, secret: this.secrets.get(data.id) ?? '' };
  }

  list(): WebhookResponse[] {
    return [...this.workers.values()].map(view);
  }

  get(id: string): WebhookResponse {
    return view(this.worker(id));
  }

  async remove(id: string, context: CommandContext): Promise<void> {
    const worker = this.worker(id);
    await this.store.append(webhookStream(id), [{ type: REMOVED, schemaVersion: 1, data: { id } }], 'any', context);
    this.workers.delete(id);
    await worker.stop();
    this.secrets.delete(id);
  }

  private worker(id: string): WebhookWorker {
    const worker = this.workers.get(id);
    if (!worker) throw new NotFoundException(errorBody(404, `no webhook ${id}`, [{ field: 'id', problem: 'names no registered webhook' }]));
    return worker;
  }

  private startWorker(registration: Registration): void {
    const secret = this.secrets.get(registration.id);
    if (!secret) return;
    const fresh: DeliveryState = { state: 'active', deliveredThrough: registration.position, failures: 0, lastError: null, failingSince: null };
    const delivery = this.checkpoints.read(registration.id) ?? fresh;
    const deps = { dispatcher: this.dispatcher, checkpoints: this.checkpoints, clock: this.clock, allowPrivate: this.options.allowPrivate, retry: this.options.retry ?? DEFAULT_RETRY };
    const worker = new WebhookWorker({ id: registration.id, url: registration.url, filter: registration.filters, secret }, delivery, deps);
    this.workers.set(registration.id, worker);
    worker.start();
  }
}

function view(worker: WebhookWorker): WebhookResponse {
  const { id, url, filter } = worker.settings;
  const { state, deliveredThrough, failures, lastError } = worker.delivery;
  return { id, url, filters: filter, state, deliveredThrough, failures, lastError };
}
