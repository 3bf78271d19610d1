import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { BeginAffiliationCommand } from '../begin-affiliation/begin-affiliation.handler';
import type { CommandContext } from '../command-context';
import { OpenTopicCommand } from '../open-topic/open-topic.handler';
import { RecordStatementCommand } from '../record-statement/record-statement.handler';
import { RegisterActorCommand } from '../register-actor/register-actor.handler';
import type { DataSet } from './data-set';

/**
 * Loads a data set through the same commands as the API, so every rule applies to it:
 * actors, then affiliations, topics and statements, in file order.
 */
@Injectable()
export class DataSetLoader {
  private readonly logger = new Logger(DataSetLoader.name);

  constructor(private readonly commands: CommandBus) {}

  async load(dataSet: DataSet, recordedBy: string): Promise<{ commands: number }> {
    const correlationId = randomUUID();
    const context = (): CommandContext => ({ recordedBy, correlationId, causationId: randomUUID() });
    let count = 0;
    for (const { aliases, ...actor } of dataSet.actors ?? []) {
      await this.commands.execute(new RegisterActorCommand({ ...actor, aliases: aliases ?? [] }, context()));
      count++;
    }
    for (const { actorId, speaksFor, ...affiliation } of dataSet.affiliations ?? []) {
      await this.commands.execute(new BeginAffiliationCommand(actorId, { ...affiliation, speaksFor: speaksFor ?? false }, context()));
      count++;
    }
    for (const topic of dataSet.topics ?? []) {
      await this.commands.execute(new OpenTopicCommand(topic, context()));
      count++;
    }
    for (const statement of dataSet.statements ?? []) {
      await this.commands.execute(new RecordStatementCommand(statement, context()));
      count++;
    }
    this.logger.log(`loaded ${count} commands from the data set as ${recordedBy}`);
    return { commands: count };
  }
}
