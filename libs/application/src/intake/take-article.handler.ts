import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ArticleTooLongToRead, assertSlug, type IntakeCandidate, intakeDecider, intakeStream, InvalidValue, type Source, TopicNotFound, utcDate } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';
import { CLOCK, type Clock } from '../tokens';
import { articleText } from './article-text';
import type { ArticleCandidates } from './candidates.worker';
import type { ArticleReading } from './extract-candidates';
import { registeredActors, topicRecords } from './intake-record';
import { besideThis, inWorker, READING_TIMEOUT_MS, WorkerTimedOut } from './worker-task';

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
    const page = article.html !== undefined ? await refusedIfTooLong('html', articleText(article.html)) : null;
    const text = page?.text ?? article.text ?? '';
    if (text.trim().length === 0) throw new InvalidValue(page ? 'the page has no article text' : 'the article has no text', page ? 'html' : 'text');
    const now = this.clock();
    const withTitle = { ...source, ...(source.title === undefined && source.url === undefined && page?.title ? { title: page.title.slice(0, 200) } : {}) };
    const draftId = randomUUID();
    const command = { type: 'TakeArticle' as const, today: utcDate(now.getTime()), draftId, text, source: withTitle, ...(topicId !== undefined && { topicId }), candidates: [] as IntakeCandidate[] };
    // The rules first (an empty text, a future publishedOn), then the reading, which takes longer.
    intakeDecider.decide(command, intakeDecider.initialState());
    const reading: ArticleReading = { text, publishedOn: withTitle.publishedOn, actors: await registeredActors(this.views), topics: await topicRecords(this.views, now.getTime()), topicId };
    command.candidates = await refusedIfTooLong(page ? 'html' : 'text', inWorker<ArticleCandidates>(besideThis('candidates.worker'), { ...reading }));
    const result = await this.streams.handle(intakeStream(draftId), intakeDecider, command, { context });
    // From what was appended, so that a repeat with the same Idempotency-Key answers the same.
    const { data } = result.events[0] as unknown as { data: { draftId: string; source: IntakeDraftTaken['source']; candidates: IntakeCandidate[] } };
    return { draftId: data.draftId, source: data.source, candidates: data.candidates, recordedAt: result.recordedAt, position: result.position };
  }
}

/**
 * A reading done in a worker thread (the page's text, then its candidates: a long article never
 * holds up the event loop), refused with a clear error when it is cut off.
 */
export async function refusedIfTooLong<T>(field: 'text' | 'html', reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    throw error instanceof WorkerTimedOut ? new ArticleTooLongToRead(field, READING_TIMEOUT_MS / 1000) : error;
  }
}
