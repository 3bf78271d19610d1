import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { canonicalJson, DomainError } from '@positions/domain';
import type { EventStore } from '@positions/event-store';
import { ProjectionRunner, type ViewsDatabase } from '@positions/projections';
import { randomUUID } from 'node:crypto';
import { BeginAffiliationCommand } from '../begin-affiliation/begin-affiliation.handler';
import type { CommandContext } from '../command-context';
import { OpenTopicCommand } from '../open-topic/open-topic.handler';
import { RegisterActorCommand } from '../register-actor/register-actor.handler';
import { StatementFactsReader } from '../statement-facts';
import { StreamCommands } from '../stream-commands';
import { CLOCK, type Clock, EVENT_STORE, VIEWS_DATABASE } from '../tokens';
import { type ActorInput, type AffiliationInput, ImportCheck, type Outcome, type TopicInput } from './import-check';
import { digest } from './statement-input';
import { type ImportCounts, StatementWriter, type ViewsInStep } from './statement-writer';

export interface ImportSettings {
  /** The principal every event of the import is recorded by (`cli:{user}`). */
  recordedBy: string;
  /** Told what went wrong without stopping the import (views that did not catch up). */
  warn: (message: string) => void;
  /** Checkpoint the views' log every this many pages while the import runs (bulk writes: seldom). */
  walAutocheckpointPages?: number;
  /**
   * Views fed elsewhere (another thread), given the application's runner to fall back on. The
   * runner then stops following the log (it would do the same work) and catches up at `close`,
   * after these are closed.
   */
  views?: (fallback: ViewsInStep) => ViewsElsewhere;
}

export interface ViewsElsewhere extends ViewsInStep {
  close(): Promise<void>;
  /** Builds every view anew, in bulk, beside the serving ones, and switches to them at `close` (ProjectionRunner.buildInBulk). */
  buildInBulk?(): void;
}

/**
 * Bulk import: checks rows against the record (ImportCheck) and writes the new ones in batches
 * (StatementWriter), with the same rules, facts and envelopes as the API's commands. Callers
 * bring the rows (a CLI reading files, say) and report; `start` gives one import its session.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly facts: StatementFactsReader,
    private readonly runner: ProjectionRunner,
    @Inject(VIEWS_DATABASE) private readonly viewsDb: ViewsDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandBus,
  ) {}

  start(settings: ImportSettings): ImportSession {
    if (settings.walAutocheckpointPages !== undefined) this.viewsDb.pragma(`wal_autocheckpoint = ${settings.walAutocheckpointPages}`);
    const check = new ImportCheck(this.store, this.streams, this.clock);
    const elsewhere = settings.views?.(this.runner);
    if (elsewhere) this.runner.stop();
    const { store, streams, facts, runner, commands } = this;
    return new ImportSession({ store, streams, facts, runner, commands, check, views: elsewhere ?? runner, elsewhere, settings });
  }
}

interface SessionDeps {
  store: EventStore;
  streams: StreamCommands;
  facts: StatementFactsReader;
  runner: ProjectionRunner;
  commands: CommandBus;
  check: ImportCheck;
  views: ViewsInStep;
  elsewhere: ViewsElsewhere | undefined;
  settings: ImportSettings;
}

/** One import: its check, its writer, its counts, and the correlation id all its events share. */
export class ImportSession {
  readonly counts: ImportCounts = { read: 0, written: 0, recorded: 0, invalid: 0 };
  readonly check: ImportCheck;
  readonly writer: StatementWriter;
  private readonly correlationId = randomUUID();

  constructor(private readonly deps: SessionDeps) {
    const { store, streams, facts, check, views, settings } = deps;
    this.check = check;
    this.writer = new StatementWriter({ store, check, streams, facts, views, counts: this.counts, context: () => this.context(), warn: settings.warn });
  }

  /** Every event of one import shares a correlation id, as the API's events share their request's. */
  context(idempotencyKey?: string): CommandContext {
    const idempotency = idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: idempotencyKey } } : {};
    return { recordedBy: this.deps.settings.recordedBy, correlationId: this.correlationId, causationId: randomUUID(), ...idempotency };
  }

  /** One row through the check, counted: a refusal of the domain comes back as its error (the row is invalid). */
  async decide(decision: () => Promise<Outcome>): Promise<Outcome | DomainError> {
    try {
      const outcome = await decision();
      if (outcome === 'recorded') this.counts.recorded++;
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.counts.invalid++;
      return error;
    }
  }

  /** Writes what the check found new through the application's commands, keyed by content: a repeat replays instead of writing twice. */
  writeActor(actor: ActorInput): Promise<unknown> {
    return this.deps.commands.execute(new RegisterActorCommand(actor, this.context(contentKey('actor', actor))));
  }

  writeAffiliation({ actorId, ...affiliation }: { actorId: string } & AffiliationInput): Promise<unknown> {
    return this.deps.commands.execute(new BeginAffiliationCommand(actorId, affiliation, this.context(contentKey('affiliation', { actorId, ...affiliation }))));
  }

  writeTopic(topic: TopicInput): Promise<unknown> {
    return this.deps.commands.execute(new OpenTopicCommand(topic, this.context(contentKey('topic', topic))));
  }

  /**
   * Told, before the first write, how many events the import is about to write. When that is at
   * least as many as the log holds, views fed elsewhere are built anew in bulk from the whole log
   * beside the serving ones (decision 0041): several times faster than taking each event into
   * views that already hold rows, and the serving views keep answering as they stood meanwhile.
   */
  async willWrite(events: number): Promise<void> {
    const { elsewhere, store } = this.deps;
    if (elsewhere?.buildInBulk && events > 0 && events >= (await store.lastPosition())) elsewhere.buildInBulk();
  }

  /** Whatever was written (all, some, nothing), the views are in step with the whole log before the import ends. */
  async close(): Promise<void> {
    await this.deps.elsewhere?.close();
    try {
      await this.deps.runner.waitFor(await this.deps.store.lastPosition());
    } catch (error) {
      this.deps.settings.warn(`the views did not catch up with the log: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

const contentKey = (kind: string, value: unknown) => `positions-import:${digest(`${kind}\n${canonicalJson(value)}`)}`;
