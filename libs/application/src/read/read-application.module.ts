import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActorListingHandler, GetActorHandler, ListActorsHandler } from '../queries/actors.queries';
import { EventsHandler } from '../queries/events.query';
import { TopicChangesHandler, TopicLandscapeHandler } from '../queries/landscape.queries';
import { PositionAtHandler } from '../queries/position-at.query';
import { SearchStatementsHandler } from '../queries/search-statements.query';
import { StanceCountsHandler } from '../queries/stance-counts.query';
import { GetStatementHandler, StatementHistoryHandler } from '../queries/statements.queries';
import { TimelineHandler } from '../queries/timeline.query';
import { TopicFeedHandler } from '../queries/topic-feed.query';
import { TopicPanelHandler } from '../queries/topic-panel.query';
import { GetTopicHandler, ListTopicsHandler } from '../queries/topics.queries';
import { VoiceHandler } from '../queries/voice.query';
import { StatementStreams } from '../statement-locator';
import { type ApplicationOptions, VIEWS_EXPORTS, viewsProviders } from './views.providers';

/** The handlers of the questions answered from the views (and the log): the API's and the CLI's alike. */
export const QUERY_HANDLERS = [
  GetActorHandler,
  ListActorsHandler,
  ActorListingHandler,
  GetTopicHandler,
  ListTopicsHandler,
  PositionAtHandler,
  GetStatementHandler,
  StatementHistoryHandler,
  SearchStatementsHandler,
  TopicFeedHandler,
  TopicPanelHandler,
  TimelineHandler,
  EventsHandler,
  TopicLandscapeHandler,
  TopicChangesHandler,
  VoiceHandler,
  StanceCountsHandler,
];

/** What every question stands on and the handlers that answer them: ReadApplicationModule's providers, and part of ApplicationModule's. */
export function readProviders(options: ApplicationOptions): Provider[] {
  return [...viewsProviders(options), StatementStreams, ...QUERY_HANDLERS];
}

/**
 * The application's questions alone, over the same store, views and handlers as ApplicationModule:
 * for a process that only asks (a CLI query), which then loads no command handler, importer or
 * intake (docs/decisions/0034-cli-queries-read-only-module.md).
 */
@Module({})
export class ReadApplicationModule {
  static forRoot(options: ApplicationOptions): DynamicModule {
    return {
      module: ReadApplicationModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: readProviders(options),
      exports: [...VIEWS_EXPORTS],
    };
  }
}
