import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type DecidedCandidate, DraftNotFound, intakeDecider, intakeStream, type Source } from '@positions/domain';
import { StreamCommands } from '../stream-commands';

export interface IntakeDraftAnswer {
  draftId: string;
  text: string;
  source: Source & { publishedOn: string };
  topicId: string | null;
  candidates: DecidedCandidate[];
}

/** A draft as its stream stands: the article's text, its source and each candidate with its state. */
export class GetIntakeDraftQuery extends Query<IntakeDraftAnswer> {
  constructor(readonly draftId: string) {
    super();
  }
}

@QueryHandler(GetIntakeDraftQuery)
export class GetIntakeDraftHandler implements IQueryHandler<GetIntakeDraftQuery> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ draftId }: GetIntakeDraftQuery): Promise<IntakeDraftAnswer> {
    const draft = await this.streams.load(intakeStream(draftId), intakeDecider);
    if (!draft.taken) throw new DraftNotFound(draftId);
    return { draftId: draft.draftId, text: draft.text, source: draft.source, topicId: draft.topicId ?? null, candidates: [...draft.candidates] };
  }
}
