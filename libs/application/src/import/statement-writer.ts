import {
  type Decider,
  DomainError,
  type PositionEvent,
  type PositionState,
  positionDecider,
  positionStream,
  type RecordStatement,
  SCHEMA_VERSIONS,
  type StatementFacts,
} from '@positions/domain';
import { type AppendResult, type EventStore, type NewEvent, WrongExpectedPositionError } from '@positions/event-store';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../command-context';
import type { StatementFactsReader } from '../statement-facts';
import { type StreamCommands, toNewEvent } from '../stream-commands';
import type { ImportCheck } from './import-check';
import { digest, type StatementInput, statementFingerprint, statementHash } from './statement-input';
import { timeOrderedId } from './time-ordered-id';

/** What one import did, counted as it goes. */
export interface ImportCounts {
  /** Rows or entries read. */
  read: number;
  written: number;
  /** Already in the store (or earlier in the file): nothing to write. */
  recorded: number;
  invalid: number;
}

export interface StatementRow {
  line: number;
  statement: StatementInput;
}

/** A row the store refused at write time (it changed since the check): the line and the decider's reason. */
export class RowRefused extends Error {
  constructor(
    readonly line: number,
    readonly reason: DomainError,
  ) {
    super(reason.message);
    this.name = 'RowRefused';
  }
}

/** What the writer needs of the views: read-your-writes once per batch. */
export interface ViewsInStep {
  /** Resolves once the views took in `position`. */
  waitFor(position: number): Promise<void>;
  /**
   * Views fed on another thread: starts them on `position` without waiting. The writer then
   * goes on with the next batches while the views work, up to `trailingRows` behind, and waits
   * for them all in `finish`.
   */
  request?(position: number): void;
  /** How many written rows the views may trail by while the import goes on (with `request`). */
  trailingRows?: number;
}

export interface StatementWriterDeps {
  store: EventStore;
  check: ImportCheck;
  /** The application's glue, for the safe path: a stream another writer changed since the check. */
  streams: StreamCommands;
  facts: StatementFactsReader;
  views: ViewsInStep;
  /** Where written and already-recorded rows are counted, as they are written. */
  counts: ImportCounts;
  context: () => CommandContext;
  /** Told when the views could not catch up (the rows are written all the same). */
  warn?: (message: string) => void;
}

/** Event types that change the facts a statement is decided with: everything but the actor–topic streams' own. */
const POSITION_EVENT_TYPES: readonly string[] = ['PositionStated', 'StatementCorrected', 'StatementRetracted'] satisfies PositionEvent['type'][];
const FACT_EVENT_TYPES = Object.keys(SCHEMA_VERSIONS).filter((type) => !POSITION_EVENT_TYPES.includes(type));

interface Planned {
  streamId: string;
  rows: StatementRow[];
  expected: number | undefined;
  events: NewEvent[];
}

/**
 * Writes the statements the check found new, a batch at a time.
 *
 * The fast path: the check already decided every row against the store plus the rows before
 * it, so a batch is decided again only against the facts it kept (no reads per row), and each
 * actor–topic stream of the batch gets one append whose expected position is the one the check
 * read (moved on by the import's own appends). The appends are issued together, so the store's
 * group commit writes the whole batch in one transaction, and the views catch up once per batch
 * (fed on another thread, they trail the writes by at most `views.trailingRows` rows).
 *
 * What keeps it correct when another writer works on the store meanwhile:
 * - a stream appended to since the check fails its expected position: that stream's rows take
 *   the safe path of before (read the stream again, skip the rows it now holds, append the rest
 *   through StreamCommands with its retries and a content idempotency key);
 * - an actor or a topic changed since the check (found with one read of the log per batch) is
 *   read again before the batch is decided, and a row its new state refuses stops the import.
 *   (A change between that read and the commit goes unseen, as it does between
 *   RecordStatementHandler's read of the facts and its append.)
 */
export class StatementWriter {
  /** Facts events before this position have been taken into the check's states. */
  private seen: number | null = null;
  /** The last position this writer wrote. */
  private written = 0;
  /** Batches written whose views may not be in yet (views on another thread): last position and rows. */
  private readonly trailing: { position: number; rows: number }[] = [];
  private trailingRows = 0;

  constructor(private readonly deps: StatementWriterDeps) {}

  async write(rows: readonly StatementRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.refreshFacts();
    const planned = await this.plan(rows);
    const { check, store, counts } = this.deps;
    const { recordedBy, correlationId } = this.deps.context();
    // All appends in one go, no await between them: one group commit, one transaction.
    const appends = planned.map(({ streamId, expected, events }) =>
      // A stream the check did not read (none, so far) takes the safe path as a changed one does.
      expected === undefined
        ? Promise.reject(new WrongExpectedPositionError(streamId, 'any', -1))
        : store.append(streamId, events, expected, { recordedBy, correlationId, causationId: timeOrderedId() }),
    );
    const outcomes = await Promise.allSettled(appends);
    let last = 0;
    let failure: unknown = null;
    const stale: Planned[] = [];
    outcomes.forEach((outcome, i) => {
      const { streamId, rows: written } = planned[i];
      if (outcome.status === 'fulfilled') {
        check.appended(streamId, outcome.value.streamPosition);
        last = Math.max(last, outcome.value.position);
        counts.written += written.length;
      } else if (outcome.reason instanceof WrongExpectedPositionError) stale.push(planned[i]);
      else failure ??= outcome.reason;
    });
    if (failure === null && stale.length > 0) {
      const results = await Promise.allSettled(stale.map((p) => this.writeSafely(p.streamId, p.rows)));
      for (const result of results) {
        if (result.status === 'rejected') failure ??= result.reason;
        else last = Math.max(last, result.value);
      }
    }
    if (last > 0) await this.batchWritten(last, rows.length);
    if (failure !== null) throw failure;
  }

  /** After the last batch: resolves once the views took in everything written. */
  async finish(): Promise<void> {
    if (this.written > 0) await this.viewsInStep(this.written);
    this.trailing.length = 0;
    this.trailingRows = 0;
  }

  /**
   * Views in step with the batch just written: waited for at once, or, when they are fed on
   * another thread, started on it while the next batches are written, waiting only when they
   * trail by more than they may.
   */
  private async batchWritten(position: number, rows: number): Promise<void> {
    this.written = Math.max(this.written, position);
    const { views } = this.deps;
    if (!views.request) return this.viewsInStep(position);
    views.request(position);
    this.trailing.push({ position, rows });
    this.trailingRows += rows;
    while (this.trailing.length > 0 && this.trailingRows > (views.trailingRows ?? 0)) {
      const oldest = this.trailing.shift() as { position: number; rows: number };
      this.trailingRows -= oldest.rows;
      await this.viewsInStep(oldest.position);
    }
  }

  /** One append per actor–topic stream, in the order the streams first come up in the batch, each row decided again. */
  private async plan(rows: readonly StatementRow[]): Promise<Planned[]> {
    const byStream = new Map<string, StatementRow[]>();
    for (const row of rows) {
      const streamId = positionStream(row.statement.actorId, row.statement.topicId);
      const group = byStream.get(streamId);
      if (group) group.push(row);
      else byStream.set(streamId, [row]);
    }
    const planned: Planned[] = [];
    for (const [streamId, group] of byStream) {
      const events = await this.decide(group);
      planned.push({ streamId, rows: group, expected: this.deps.check.expectedPosition(streamId), events });
    }
    return planned;
  }

  /** The events RecordStatementHandler would append, with the facts of the check (the rows of a stream share actor and topic). */
  private async decide(rows: readonly StatementRow[]): Promise<NewEvent[]> {
    const { actorId, topicId } = rows[0].statement;
    const facts = new Map<string | undefined, StatementFacts>();
    const events: NewEvent[] = [];
    for (const { line, statement } of rows) {
      try {
        let known = facts.get(statement.onBehalfOf);
        if (!known) {
          const { check } = this.deps;
          known = check.knownFacts(actorId, topicId, statement.onBehalfOf) ?? (await check.facts(actorId, topicId, statement.onBehalfOf));
          facts.set(statement.onBehalfOf, known);
        }
        // A fresh statement id never collides: the stream's state does not matter to a recording.
        const decided = positionDecider.decide({ type: 'RecordStatement', statementId: timeOrderedId(), ...statement, ...known }, positionDecider.initialState());
        for (const event of decided) events.push(toNewEvent(event, timeOrderedId()));
      } catch (error) {
        throw error instanceof DomainError ? new RowRefused(line, error) : error;
      }
    }
    return events;
  }

  /**
   * When another writer appended to the log since the last look, reads what it changed among
   * actors and topics (one read of the log by event type) so the batch is decided with fresh facts.
   */
  private async refreshFacts(): Promise<void> {
    const { store, check } = this.deps;
    this.seen ??= await check.startedAt;
    const last = await store.lastPosition();
    if (last <= this.seen) return;
    for (const event of await store.readAll({ after: this.seen, types: FACT_EVENT_TYPES })) check.forget(event.streamId);
    this.seen = last;
  }

  /**
   * The safe path, for a stream another writer appended to since the check: read it again, skip
   * the rows it now holds (another import of the same rows, say), and write the rest through
   * StreamCommands as RecordStatementHandler does (facts read from the store, retries, a content
   * idempotency key). Returns the last position written (0: none).
   */
  private async writeSafely(streamId: string, rows: StatementRow[]): Promise<number> {
    const { check, streams, facts: factsReader, counts } = this.deps;
    const { actorId, topicId } = rows[0].statement;
    const held = await check.reread(actorId, topicId);
    const rest = rows.filter((row) => !held.has(statementHash(row.statement)));
    counts.recorded += rows.length - rest.length;
    if (rest.length === 0) return 0;
    const facts = new Map<string | undefined, StatementFacts>();
    for (const { statement } of rest) {
      if (!facts.has(statement.onBehalfOf)) facts.set(statement.onBehalfOf, await factsReader.read(actorId, topicId, statement.onBehalfOf));
    }
    const commands = rest.map(({ line, statement }): Numbered => ({ line, command: { type: 'RecordStatement', statementId: randomUUID(), ...statement, ...(facts.get(statement.onBehalfOf) as StatementFacts) } }));
    // Keyed by content: if another import of the same rows wins the race, this one replays its append instead of writing twice.
    const key = `positions-import:${digest(`${streamId}\n${rest.map((r) => statementFingerprint(r.statement)).join('\n')}`)}`;
    const context = { ...this.deps.context(), idempotency: { key, requestHash: key } };
    const result: AppendResult = await streams.handle(streamId, RECORD_ALL, commands, { context });
    counts.written += rest.length;
    // The next batch's expected position: the stream as it is now (a replayed append may not be its end).
    await check.reread(actorId, topicId);
    return result.position;
  }

  /** Read-your-writes once per batch. The rows are written either way: views that fail catch up later. */
  private async viewsInStep(position: number): Promise<void> {
    if (position <= 0) return;
    try {
      await this.deps.views.waitFor(position);
    } catch (error) {
      this.deps.warn?.(`the views did not catch up with position ${position}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A command with the line of its row, to name it if the store refuses it. */
interface Numbered {
  line: number;
  command: RecordStatement;
}

/**
 * positionDecider, one command after the other, each seeing the events of those before it. One
 * object for every call, so StreamCommands' cache of folded states knows the stream next time.
 */
const RECORD_ALL: Decider<Numbered[], PositionEvent, PositionState> = {
  initialState: positionDecider.initialState,
  evolve: positionDecider.evolve,
  decide(commands, state) {
    const events: PositionEvent[] = [];
    for (const { line, command } of commands) {
      try {
        const decided = positionDecider.decide(command, state);
        state = decided.reduce(positionDecider.evolve, state);
        events.push(...decided);
      } catch (error) {
        throw error instanceof DomainError ? new RowRefused(line, error) : error;
      }
    }
    return events;
  },
};
