import { Injectable } from '@nestjs/common';
import { positionStream, StatementNotFound } from '@positions/domain';
import { ReadModels } from '@positions/projections';

/** Finds the actor–topic stream a statement lives in, from the statements index. */
@Injectable()
export class StatementStreams {
  constructor(private readonly views: ReadModels) {}

  locate(statementId: string): { actorId: string; topicId: string; streamId: string } {
    const location = this.views.statementLocation(statementId);
    if (!location) throw new StatementNotFound(statementId);
    return { ...location, streamId: positionStream(location.actorId, location.topicId) };
  }
}

/** What a correction or retraction answers. */
export interface StatementAmended {
  statementId: string;
  recordedAt: string;
  /** Global position of the event written. */
  position: number;
}
