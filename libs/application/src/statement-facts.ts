import { Inject, Injectable } from '@nestjs/common';
import { type ActorState, actorDecider, actorStream, assertSlug, type StatementFacts, statementFacts, topicDecider, topicStream } from '@positions/domain';
import { StreamCommands } from './stream-commands';
import { CLOCK, type Clock } from './tokens';

/** Reads, from the log, the outside facts a statement's rules need: the speaker, the codebook, the organization. */
@Injectable()
export class StatementFactsReader {
  constructor(
    private readonly streams: StreamCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `onBehalfOf` is looked up only when given (`field` names it in errors). */
  async read(actorId: string, topicId: string, onBehalfOf: string | undefined, field = 'onBehalfOf'): Promise<StatementFacts> {
    const [actor, topic] = await Promise.all([
      this.streams.load(actorStream(actorId), actorDecider),
      this.streams.load(topicStream(topicId), topicDecider),
    ]);
    let organization: ActorState | undefined;
    if (onBehalfOf !== undefined) {
      assertSlug(onBehalfOf, field);
      organization = await this.streams.load(actorStream(onBehalfOf), actorDecider);
    }
    return statementFacts(actor, topic, organization, this.clock().toISOString());
  }
}
