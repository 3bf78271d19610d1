import type { Command } from 'commander';
import type { QueryBus } from '@nestjs/cqrs';
import type * as Application from '@positions/application/read';
import type { CliConfig } from '../cli-config';
import { printJson, printText } from '../output';
import { renderLandscape, renderPosition, renderTimeline } from './answer-tables';
import { examples, slugArgument, timeArgument } from './arguments';

interface TimeOptions {
  at?: string;
  knownAt?: string;
  json?: boolean;
}

/** `position`, `timeline`, `landscape`: the API's questions, answered by the same query handlers. */
export function registerQueryCommands(program: Command, config: () => CliConfig): void {
  // The application is loaded once a question is asked, not for --help or a usage error.
  const ask = async <T>(query: (bus: QueryBus, application: typeof Application) => Promise<T>, options: TimeOptions, render: (answer: T) => string) => {
    const [{ withQueries }, { QueryBus }, application] = await Promise.all([import('../cli-context'), import('@nestjs/cqrs'), import('@positions/application/read')]);
    await withQueries(config(), async (app) => {
      const answer = await query(app.get(QueryBus), application);
      await (options.json ? printJson(answer) : printText(render(answer)));
    });
  };

  program
    .command('position')
    .description("an actor's position on a topic at a date, as the record stood at a moment")
    .argument('<actor>', 'actor id', slugArgument)
    .argument('<topic>', 'topic id', slugArgument)
    .option('--at <date>', 'the date or date-time of the position (default: now)', timeArgument)
    .option('--known-at <moment>', 'as the record stood then; a date means the end of that UTC day (default: now)', timeArgument)
    .option('--json', 'print the JSON the API answers, on one line')
    .addHelpText('after', examples([
      ['positions position donald-trump russia-sanctions-relief --at 2025-02-26', "Trump's stance on that day, with the statement behind it"],
      ['positions position european-union russia-sanctions-relief --at 2025-02-25 --known-at 2025-03-01 --json', 'as the record stood on 2025-03-01, for scripts'],
    ]))
    .action((actor: string, topic: string, options: TimeOptions) =>
      ask((bus, { PositionAtQuery }) => bus.execute(new PositionAtQuery(actor, topic, options.at, options.knownAt)), options, renderPosition));

  program
    .command('timeline')
    .description("an actor's statements on a topic in the order they were made, with each shift")
    .argument('<actor>', 'actor id', slugArgument)
    .argument('<topic>', 'topic id', slugArgument)
    .option('--known-at <moment>', 'as the record stood then (default: now)', timeArgument)
    .option('--json', 'print the JSON the API answers, on one line')
    .addHelpText('after', examples([['positions timeline russian-government russia-sanctions-relief', 'every statement, oldest first']]))
    .action((actor: string, topic: string, options: TimeOptions) =>
      ask((bus, { TimelineQuery }) => bus.execute(new TimelineQuery(actor, topic, options.knownAt)), options, renderTimeline));

  program
    .command('landscape')
    .description("every actor's position on a topic at a date")
    .argument('<topic>', 'topic id', slugArgument)
    .option('--at <date>', 'the date or date-time (default: now)', timeArgument)
    .option('--known-at <moment>', 'as the record stood then (default: now)', timeArgument)
    .option('--json', 'print the JSON the API answers, on one line')
    .addHelpText('after', examples([['positions landscape russia-sanctions-relief --at 2025-02-26', 'who stood where on that day']]))
    .action((topic: string, options: TimeOptions) => ask((bus, application) => wholeLandscape(bus, application, topic, options), options, renderLandscape));
}

/** Every page of a landscape in one answer (`next` null): later pages answer as of the first page's record time. */
async function wholeLandscape(bus: QueryBus, { TopicLandscapeQuery }: typeof Application, topic: string, options: TimeOptions): Promise<Application.LandscapeAnswer> {
  const first = await bus.execute(new TopicLandscapeQuery(topic, options.at, options.knownAt));
  const positions = [...first.positions];
  for (let cursor = first.next; cursor !== null; ) {
    const page = await bus.execute(new TopicLandscapeQuery(topic, options.at, options.knownAt, { cursor }));
    positions.push(...page.positions);
    cursor = page.next;
  }
  return { ...first, positions, next: null };
}
