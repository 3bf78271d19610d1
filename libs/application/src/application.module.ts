import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AddStanceHandler } from './add-stance/add-stance.handler';
import { BeginAffiliationHandler } from './begin-affiliation/begin-affiliation.handler';
import { DataSetLoader } from './data-set/data-set.loader';
import { EndAffiliationHandler } from './end-affiliation/end-affiliation.handler';
import { OpenTopicHandler } from './open-topic/open-topic.handler';
import { RecordStatementHandler } from './record-statement/record-statement.handler';
import { RegisterActorHandler } from './register-actor/register-actor.handler';
import { StreamCommands } from './stream-commands';
import { StatementFactsReader } from './statement-facts';
import { CorrectStatementHandler } from './correct-statement/correct-statement.handler';
import { RetractStatementHandler } from './retract-statement/retract-statement.handler';
import { ListProjectionsHandler, RebuildProjectionHandler } from './rebuild-projection/rebuild-projection.handler';
import { ImportService } from './import/import.service';
import { TakeArticleHandler } from './intake/take-article.handler';
import { AcceptCandidateHandler, RejectCandidateHandler } from './intake/decide-candidate.handler';
import { GetIntakeDraftHandler } from './intake/intake-draft.query';
import { readProviders } from './read/read-application.module';
import { type ApplicationOptions, VIEWS_EXPORTS } from './read/views.providers';

export type { ApplicationOptions } from './read/views.providers';

/** The handlers of commands and of the questions that need more than the views (the queries are in ReadApplicationModule's providers). */
const HANDLERS = [
  RegisterActorHandler,
  BeginAffiliationHandler,
  EndAffiliationHandler,
  OpenTopicHandler,
  AddStanceHandler,
  RecordStatementHandler,
  CorrectStatementHandler,
  RetractStatementHandler,
  ListProjectionsHandler,
  RebuildProjectionHandler,
  TakeArticleHandler,
  AcceptCandidateHandler,
  RejectCandidateHandler,
  GetIntakeDraftHandler,
];

/** The service's use cases over one event store and its local read models. */
@Module({})
export class ApplicationModule {
  static forRoot(options: ApplicationOptions): DynamicModule {
    return {
      module: ApplicationModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [...readProviders(options), StreamCommands, StatementFactsReader, DataSetLoader, ImportService, ...HANDLERS],
      exports: [...VIEWS_EXPORTS, StreamCommands, DataSetLoader, ImportService],
    };
  }
}
