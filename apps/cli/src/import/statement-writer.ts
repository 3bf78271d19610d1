import type { CommandContext, StatementFactsReader, StreamCommands } from '@positions/application';
import { type Decider, DomainError, type PositionEvent, type PositionState, positionDecider, positionStream, type RecordStatement, type StatementFacts } from '@positions/domain';
import { randomUUID } from 'node:crypto';
import { digest, type StatementInput, statementFingerprint } from './statement-input';

export interface StatementRow {
  line: number;
  statement: StatementInput;
}

/** A row the store refused at write time (it changed since the dry run): the line and the decider's reason. */
export class RowRefused extends Error {
  constructor(
    readonly line: number,
    readonly reason: DomainError,
  ) {
    super(reason.message);
    this.name = 'RowRefused';
  }
}

/**
 * Writes statements through the application's own glue, as RecordStatementHandler does (facts
 * from StatementFactsReader, positionDecider, StreamCommands.handle with its expected position,
 * retries and read-your-writes), but a batch at a time: the rows of one actor–topic stream go in
 * one append, and the streams of a batch are written side by side so the views catch up once per
 * batch rather than once per row.
 */
export class StatementWriter {
  constructor(
    private readonly streams: StreamCommands,
    private readonly facts: StatementFactsReader,
    private readonly context: () => CommandContext,
  ) {}

  async write(rows: readonly StatementRow[]): Promise<void> {
    const byStream = new Map<string, StatementRow[]>();
    for (const row of rows) {
      const streamId = positionStream(row.statement.actorId, row.statement.topicId);
      const group = byStream.get(streamId);
      if (group) group.push(row);
      else byStream.set(streamId, [row]);
    }
    await Promise.all([...byStream].map(([streamId, group]) => this.writeStream(streamId, group)));
  }

  private async writeStream(streamId: string, rows: StatementRow[]): Promise<void> {
    const { actorId, topicId } = rows[0].statement;
    const facts = new Map<string | undefined, StatementFacts>();
    for (const { statement } of rows) {
      if (!facts.has(statement.onBehalfOf)) facts.set(statement.onBehalfOf, await this.facts.read(actorId, topicId, statement.onBehalfOf));
    }
    const commands = rows.map(({ statement }): RecordStatement => ({ type: 'RecordStatement', statementId: randomUUID(), ...statement, ...(facts.get(statement.onBehalfOf) as StatementFacts) }));
    // Keyed by content: if another import of the same rows wins the race, this one replays its append instead of writing twice.
    const key = `positions-import:${digest(`${streamId}\n${rows.map((r) => statementFingerprint(r.statement)).join('\n')}`)}`;
    const context = { ...this.context(), idempotency: { key, requestHash: key } };
    await this.streams.handle(streamId, recordAll(rows.map((r) => r.line)), commands, { context });
  }
}

/** positionDecider, one command after the other, each seeing the events of those before it. */
function recordAll(lines: readonly number[]): Decider<RecordStatement[], PositionEvent, PositionState> {
  return {
    initialState: positionDecider.initialState,
    evolve: positionDecider.evolve,
    decide(commands, state) {
      const events: PositionEvent[] = [];
      commands.forEach((command, i) => {
        try {
          const decided = positionDecider.decide(command, state);
          state = decided.reduce(positionDecider.evolve, state);
          events.push(...decided);
        } catch (error) {
          throw error instanceof DomainError ? new RowRefused(lines[i], error) : error;
        }
      });
      return events;
    },
  };
}
