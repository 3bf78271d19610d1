import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertSlug, type IntakeCandidate, intakeDecider, intakeStream, InvalidValue, type Source, TopicNotFound, utcDate } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';
import { CLOCK, type Clock } from '../tokens';
import { articleText } from './article-text';
import { findStatements } from './extract-candidates';
import { registeredActors, topicRecords } from './intake-record';
import { StanceSuggester } from './stance-suggester';

/** An article as sent: its text, or the HTML of its page, and where it was published. */
export interface ArticleInput {
  text?: string;
  html?: string;
  source: Source & { publishedOn: string };
  topicId?: string;
}

export interface IntakeDraftTaken {
  draftId: string;
  source: Source & { publishedOn: string };
  candidates: IntakeCandidate[];
  recordedAt: string;
  position: number;
}

export class TakeArticleCommand extends Command<IntakeDraftTaken> {
  constructor(
    readonly article: ArticleInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Reads an article into a draft: the statements it seems to report, each with a speaker, a date,
 * a topic and a stance suggested from the record as it stands. Records no statement.
 */
@CommandHandler(TakeArticleCommand)
export class TakeArticleHandler implements ICommandHandler<TakeArticleCommand> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ article, context }: TakeArticleCommand): Promise<IntakeDraftTaken> {
    const { source, topicId } = article;
    if (topicId !== undefined) {
      assertSlug(topicId, 'topicId');
      if (!this.views.topic(topicId)) throw new TopicNotFound(topicId, 'topicId');
    }
    const page = article.html !== undefined ? await articleText(article.html) : null;
    const text = page?.text ?? article.text ?? '';
    if (text.trim().length === 0) throw new InvalidValue(page ? 'the page has no article text' : 'the article has no text', page ? 'html' : 'text');
    const now = this.clock();
    const withTitle = { ...source, ...(source.title === undefined && source.url === undefined && page?.title ? { title: page.title.slice(0, 200) } : {}) };
    const draftId = randomUUID();
    const command = { type: 'TakeArticle' as const, today: utcDate(now.getTime()), draftId, text, source: withTitle, ...(topicId !== undefined && { topicId }), candidates: [] as IntakeCandidate[] };
    // The rules first (an empty text, a future publishedOn), then the reading, which takes longer.
    intakeDecider.decide(command, intakeDecider.initialState());
    command.candidates = this.candidates(text, withTitle.publishedOn, topicId, now.getTime());
    const result = await this.streams.handle(intakeStream(draftId), intakeDecider, command, { context });
    // From what was appended, so that a repeat with the same Idempotency-Key answers the same.
    const { data } = result.events[0] as unknown as { data: { draftId: string; source: IntakeDraftTaken['source']; candidates: IntakeCandidate[] } };
    return { draftId: data.draftId, source: data.source, candidates: data.candidates, recordedAt: result.recordedAt, position: result.position };
  }

  private candidates(text: string, publishedOn: string, topicId: string | undefined, nowMs: number): IntakeCandidate[] {
    const suggester = new StanceSuggester(topicRecords(this.views, nowMs));
    return findStatements(text, publishedOn, registeredActors(this.views)).map(({ sentence, ...finding }) => ({
      ...finding,
      ...suggester.suggest(sentence, topicId),
    }));
  }
}
