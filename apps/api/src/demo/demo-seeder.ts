import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  type CommandContext,
  CorrectStatementCommand,
  type DataSet,
  DataSetLoader,
  EVENT_STORE,
  RecordStatementCommand,
  RetractStatementCommand,
} from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root';
import { demoRecord, type DemoStep, type SampleStatement } from './demo-record';
import { RecordingClock } from './recording-clock';

/** The sample data set shipped with the project (the seed article of 2025-02-26), in the installed package. */
export const demoDataFile = (): string => join(packageRoot(), 'samples', 'sanctions-2025-02-26.json');

const DEMO = 'system:demo';

/**
 * Loads the sample data into an empty store, so a first `npm start` shows data at once: recorded
 * step by step at the demo's own past moments (`demo-record.ts`), so the record time replay has
 * a history to show.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly loader: DataSetLoader,
    private readonly commands: CommandBus,
    private readonly clock: RecordingClock,
  ) {}

  async seedIfEmpty(file = demoDataFile()): Promise<void> {
    if ((await this.store.lastPosition()) > 0) return;
    const steps = demoRecord(JSON.parse(readFileSync(file, 'utf8')) as DataSet);
    this.logger.log(`the store is empty: loading the sample data set ${file}, recorded at the demo's own past moments, ${steps[0].at} to ${steps[steps.length - 1].at}`);
    const ids = new Map<SampleStatement, string>();
    const correlationId = randomUUID();
    for (const step of steps) await this.clock.at(step.at, () => this.run(step, ids, correlationId));
  }

  private async run(step: DemoStep, ids: Map<SampleStatement, string>, correlationId: string): Promise<void> {
    const context = (): CommandContext => ({ recordedBy: DEMO, correlationId, causationId: randomUUID() });
    const idOf = (statement: SampleStatement) => ids.get(statement) as string;
    if ('setup' in step) await this.loader.load(step.setup, DEMO);
    if ('record' in step) {
      for (const statement of step.record) ids.set(statement, (await this.commands.execute(new RecordStatementCommand(statement, context()))).statementId);
    }
    if ('correct' in step) await this.commands.execute(new CorrectStatementCommand(idOf(step.correct), step.changes, step.reason, context()));
    if ('retract' in step) await this.commands.execute(new RetractStatementCommand(idOf(step.retract), step.reason, context()));
  }
}
