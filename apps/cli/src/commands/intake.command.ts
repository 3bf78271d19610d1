import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { IntakeDraftTaken } from '@positions/application';
import { DomainError, isDate, MAX_ARTICLE_CHARACTERS } from '@positions/domain';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { CliConfig } from '../cli-config';
import { invalidInput } from '../cli-errors';
import { note, printJson, printText, table } from '../output';
import { examples, slugArgument } from './arguments';

interface IntakeOptions {
  publishedOn: string;
  topic?: string;
  url?: string;
  title?: string;
  publisher?: string;
  html?: boolean;
  json?: boolean;
  acceptAllAbove?: number;
}

function dateArgument(value: string): string {
  if (!isDate(value)) throw new InvalidArgumentError('must be a date (YYYY-MM-DD)');
  return value;
}

function confidenceArgument(value: string): number {
  const number = Number(value);
  if (!/^(0(\.[0-9]+)?|1(\.0+)?)$/.test(value) || !(number >= 0 && number <= 1)) throw new InvalidArgumentError('must be a confidence from 0 to 1 (e.g. 0.9)');
  return number;
}

/** `positions intake`: an article's candidate statements, by the API's own intake commands; optionally records the confident ones. */
export function registerIntakeCommand(program: Command, config: () => CliConfig): void {
  program
    .command('intake')
    .description('read an article (text, or HTML for .html/.htm files) and list the statements it seems to report: speaker, date, topic and stance suggested')
    .argument('<file>', 'the article')
    .requiredOption('--published-on <date>', 'the day it was published (YYYY-MM-DD): "last week" and the like are read against it', dateArgument)
    .option('--topic <id>', 'the topic every candidate is about (default: the best-matching topic for each)', slugArgument)
    .option('--url <url>', "the article's address")
    .option('--title <title>', "the article's title (default without --url: the file's name)")
    .option('--publisher <name>', 'who published it')
    .option('--html', 'the file is a web page (default for .html and .htm files)')
    .option('--json', 'print the JSON the API answers, on one line')
    .option('--accept-all-above <confidence>', 'record every candidate with a registered speaker and a stance suggested with at least this confidence', confidenceArgument)
    .addHelpText(
      'after',
      examples([
        ['positions intake article.txt --published-on 2025-02-26', 'the candidates, as a table'],
        ['positions intake article.txt --published-on 2025-02-26 --topic russia-sanctions-relief --accept-all-above 0.9', 'record the confident ones'],
      ]),
    )
    .action(async (file: string, options: IntakeOptions) => {
      const article = readArticle(file, options);
      const [{ withApplication }, { CommandBus }, { TakeArticleCommand, AcceptCandidateCommand }] = await Promise.all([
        import('../cli-context'),
        import('@nestjs/cqrs'),
        import('@positions/application'),
      ]);
      await withApplication(config(), async (app) => {
        const bus = app.get(CommandBus);
        const context = () => ({ recordedBy: config().recordedBy, correlationId: randomUUID(), causationId: randomUUID() });
        const draft: IntakeDraftTaken = await bus.execute(new TakeArticleCommand(article, context()));
        const accepted: { candidateId: string; statementId: string }[] = [];
        if (options.acceptAllAbove !== undefined) {
          for (const candidate of draft.candidates.filter((c) => c.stance !== null && c.speaker.actorId !== null && c.stanceConfidence >= (options.acceptAllAbove as number))) {
            try {
              const { statementId } = await bus.execute(new AcceptCandidateCommand(draft.draftId, candidate.candidateId, {}, context()));
              accepted.push({ candidateId: candidate.candidateId, statementId });
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              note(`${candidate.candidateId} not recorded: ${error.field ? `${error.field}: ` : ''}${error.message}`);
            }
          }
        }
        const answer = { draftId: draft.draftId, source: draft.source, candidates: draft.candidates };
        if (options.json) await printJson(options.acceptAllAbove === undefined ? answer : { ...answer, accepted });
        else await printText(render(draft, accepted));
        if (options.acceptAllAbove !== undefined) note(`recorded ${accepted.length} of ${draft.candidates.length} candidates (draft ${draft.draftId})`);
      });
    });
}

function readArticle(file: string, options: IntakeOptions) {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    throw invalidInput(`cannot read ${file}`);
  }
  if (content.length > MAX_ARTICLE_CHARACTERS) throw invalidInput(`${file} is longer than ${MAX_ARTICLE_CHARACTERS} characters`);
  const html = options.html ?? ['.html', '.htm'].includes(extname(file).toLowerCase());
  const title = options.title ?? (options.url === undefined ? basename(file) : undefined);
  const source = {
    ...(options.url !== undefined && { url: options.url }),
    ...(title !== undefined && { title }),
    ...(options.publisher !== undefined && { publisher: options.publisher }),
    publishedOn: options.publishedOn,
  };
  return { ...(html ? { html: content } : { text: content }), source, ...(options.topic !== undefined && { topicId: options.topic }) };
}

function render(draft: IntakeDraftTaken, accepted: { candidateId: string; statementId: string }[]): string {
  if (draft.candidates.length === 0) return `draft ${draft.draftId}: no statements found`;
  const recorded = new Map(accepted.map((a) => [a.candidateId, a.statementId]));
  const short = (text: string) => (text.length > 70 ? `${text.slice(0, 67)}...` : text);
  const rows = draft.candidates.map((c) => [
    c.candidateId,
    c.speaker.actorId ?? (c.speaker.name ? `(${c.speaker.name})` : '-'),
    c.statedOn,
    c.statedOnWording ?? '-',
    c.topicId ?? '-',
    c.stance ? `${c.stance} ${c.stanceConfidence.toFixed(2)}` : `- ${c.stanceConfidence.toFixed(2)}`,
    short(c.quote ? `“${c.quote}”` : '(reported speech)'),
    recorded.get(c.candidateId) ?? '',
  ]);
  return `draft ${draft.draftId}\n${table(['candidate', 'speaker', 'stated on', 'wording', 'topic', 'stance', 'words', 'recorded as'], rows)}`;
}
