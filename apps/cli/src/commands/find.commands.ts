import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { QueryBus } from '@nestjs/cqrs';
import type { PanelRow, PanelStep, StatementAnswer, StatementSearchPage, TopicPanel } from '@positions/application/read';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CliConfig } from '../cli-config';
import { note, printJson, printText, table, writeTo } from '../output';
import { examples, slugArgument, timeArgument } from './arguments';

interface SearchOptions {
  actor?: string;
  topic?: string;
  from?: string;
  to?: string;
  knownAt?: string;
  limit: number;
  json?: boolean;
}

interface PanelOptions {
  step: PanelStep;
  from: string;
  to: string;
  knownAt?: string;
  format: 'csv' | 'parquet';
  out: string;
}

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}`);
    return value as T;
  };

function searchLimit(value: string): number {
  if (!/^([1-9][0-9]?|1[0-9][0-9]|200)$/.test(value)) throw new InvalidArgumentError('must be a whole number from 1 to 200');
  return Number(value);
}

/** `search` and `panel`: finding statements, and taking a topic out for analysis, by the API's own query handlers. */
export function registerFindCommands(program: Command, config: () => CliConfig): void {
  const withBus = async (work: (bus: QueryBus, application: typeof import('@positions/application/read')) => Promise<void>) => {
    const [{ withQueries }, { QueryBus }, application] = await Promise.all([import('../cli-context'), import('@nestjs/cqrs'), import('@positions/application/read')]);
    await withQueries(config(), (app) => work(app.get(QueryBus), application));
  };

  program
    .command('search')
    .description('statements whose summary, quote or source match the words (case and accents ignored; "a phrase", prefix*), best first')
    .argument('<text>', 'the words to find')
    .option('--actor <id>', 'only this actor', slugArgument)
    .option('--topic <id>', 'only this topic', slugArgument)
    .option('--from <date>', 'only statements made on or after this day', timeArgument)
    .option('--to <date>', 'only statements made on or before this day', timeArgument)
    .option('--known-at <moment>', 'as the record stood then (default: now)', timeArgument)
    .option('--limit <n>', 'at most this many (1–200)', searchLimit, 50)
    .option('--json', 'print the JSON the API answers, on one line')
    .addHelpText('after', examples([['positions search concessions --topic russia-sanctions-relief --from 2025-02-01 --to 2025-02-28', 'who said "concessions" about sanctions in February']]))
    .action((text: string, options: SearchOptions) =>
      withBus(async (bus, { SearchStatementsQuery }) => {
        const { actor, topic, from, to, knownAt } = options;
        const query = Object.fromEntries(Object.entries({ q: text, actorId: actor, topicId: topic, from, to, knownAt }).filter(([, v]) => v !== undefined));
        // A page may end short (filters leave few of a word's matches in the windows it examines): follow `next` up to --limit.
        const page: StatementSearchPage = { statements: [], next: null };
        do {
          const limit = options.limit - page.statements.length;
          const more: StatementSearchPage = await bus.execute(new SearchStatementsQuery({ ...query, includeRetracted: false, limit, ...(page.next !== null && { cursor: page.next }) }));
          page.statements.push(...more.statements);
          page.next = more.next;
        } while (page.next !== null && page.statements.length < options.limit);
        await (options.json ? printJson(page) : printText(renderSearch(page.statements)));
      }));

  program
    .command('panel')
    .description("every actor's position on a topic at the end of each period, for R, pandas or arrow: CSV or Parquet")
    .argument('<topic>', 'topic id', slugArgument)
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD)')
    .option('--step <step>', 'day, week (ISO), month or year', oneOf(['day', 'week', 'month', 'year'] as const), 'month')
    .option('--known-at <moment>', 'as the record stood then (default: now)', timeArgument)
    .option('--format <format>', 'csv or parquet', oneOf(['csv', 'parquet'] as const), 'csv')
    .requiredOption('--out <file>', 'the file to write')
    .addHelpText('after', examples([['positions panel russia-sanctions-relief --step month --from 2015-01-01 --to 2024-12-31 --format parquet --out panel.parquet', 'ten years by month, for pandas.read_parquet']]))
    .action((topic: string, options: PanelOptions) =>
      withBus(async (bus, { TopicPanelQuery, panelCsv }) => {
        const panel: TopicPanel = await bus.execute(new TopicPanelQuery(topic, options.from, options.to, options.step, options.knownAt));
        if (options.format === 'parquet') await writeParquet(panel, options.out);
        else {
          const out = createWriteStream(options.out);
          for await (const chunk of panelCsv(panel)) await writeTo(out, chunk);
          out.end();
          await finished(out);
        }
        note(`wrote ${panel.rowCount} rows to ${options.out}`);
      }));
}

function renderSearch(statements: StatementAnswer[]): string {
  if (statements.length === 0) return 'no statements found';
  return table(
    ['stated on', 'actor', 'topic', 'stance', 'summary', 'statement'],
    statements.map((s) => [s.statedOn, s.actorId, s.topicId, s.stance?.code ?? '-', s.summary, s.statementId]),
  );
}

/** Rows written to the Parquet file at a time (one row group each): a panel of a million rows is never held whole. */
const PARQUET_BATCH = 100_000;

/** The panel as Parquet (hyparquet-writer), one row group per batch of rows. */
async function writeParquet(panel: TopicPanel, file: string): Promise<void> {
  // Node resolves the package's node entry, which adds fileWriter; the types describe the browser one.
  type Writer = ConstructorParameters<typeof import('hyparquet-writer').ParquetWriter>[0]['writer'];
  const { ParquetWriter, fileWriter, schemaFromColumnData } = (await import('hyparquet-writer')) as unknown as typeof import('hyparquet-writer') & { fileWriter(file: string): Writer };
  const columns = (rows: PanelRow[]) => [
    { name: 'actorId', data: rows.map((r) => r.actorId), type: 'STRING' as const, nullable: false },
    { name: 'period', data: rows.map((r) => r.period), type: 'STRING' as const, nullable: false },
    { name: 'stance', data: rows.map((r) => r.stance), type: 'STRING' as const },
    { name: 'score', data: rows.map((r) => r.score), type: 'INT32' as const },
    { name: 'certainty', data: rows.map((r) => r.certainty), type: 'STRING' as const },
    { name: 'statementId', data: rows.map((r) => r.statementId), type: 'STRING' as const },
  ];
  const writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData: columns([]) }) });
  let batch: PanelRow[] = [];
  for await (const rows of panel.rows) {
    batch.push(...rows);
    if (batch.length >= PARQUET_BATCH) {
      await writer.write({ columnData: columns(batch) });
      batch = [];
    }
  }
  if (batch.length > 0 || panel.rowCount === 0) await writer.write({ columnData: columns(batch) });
  await writer.finish();
}
