import type { Command } from 'commander';
import type { ProjectionInfo, ProjectionRunner } from '@positions/projections';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliConfig } from '../cli-config';
import { failure } from '../cli-errors';
import { note, printJson, printText, table } from '../output';
import { progressBar, summary } from '../progress';
import { examples, slugArgument } from './arguments';

const POLL_MS = 200;

/** `projections list` and `projections rebuild NAME`: the API's admin endpoints, from a shell. */
export function registerProjectionCommands(program: Command, config: () => CliConfig): void {
  const projections = program.command('projections').description('the read models: list them, rebuild one from the log');

  projections
    .command('list')
    .description("each view's version, checkpoint, lag behind the log and status")
    .option('--json', 'print the JSON the API answers, on one line')
    .addHelpText('after', examples([['positions projections list', 'which views are live, rebuilding or failed']]))
    .action(async (options: { json?: boolean }) => {
      // The application is loaded here, when the command runs, not for --help or a usage error.
      const [{ withApplication }, { QueryBus }, { ListProjectionsQuery }] = await Promise.all([import('../cli-context'), import('@nestjs/cqrs'), import('@positions/application')]);
      await withApplication(config(), async (app) => {
        const list = await app.get(QueryBus).execute(new ListProjectionsQuery());
        await (options.json ? printJson(list) : printText(renderList(list)));
      });
    });

  projections
    .command('rebuild')
    .description('rebuild a view from the whole log into fresh tables, then switch to them (the old ones answer meanwhile)')
    .argument('<name>', 'the view, as `projections list` names it', slugArgument)
    .option('--json', "print the view's state afterwards as JSON")
    .addHelpText('after', examples([['positions projections rebuild statements', 'with a progress bar until the new tables answer']]))
    .action(async (name: string, options: { json?: boolean }) => {
      const [{ withApplication }, { ProjectionRunner }] = await Promise.all([import('../cli-context'), import('@positions/projections')]);
      await withApplication(config(), async (app) => {
        const info = await rebuild(app.get(ProjectionRunner), name);
        if (options.json) await printJson(info);
      });
    });
}

/**
 * What RebuildProjectionCommand does for POST /api/projections/{name}/rebuild, asked of the runner
 * directly: the command answers with the progress only, and a CLI must also wait for `finished`.
 */
async function rebuild(runner: ProjectionRunner, name: string): Promise<ProjectionInfo> {
  const { ProjectionNotFound } = await import('@positions/application');
  if (!runner.has(name)) throw new ProjectionNotFound(name);
  const { progress, finished } = await runner.rebuild(name);
  const bar = progressBar(`rebuilding ${name}`, progress.total, 'events');
  let done = false;
  void finished.then(() => (done = true));
  while (!done) {
    const position = (await infoOf(runner, name)).rebuild?.position;
    if (position !== undefined) bar.update(position, position);
    await Promise.race([finished, sleep(POLL_MS)]);
  }
  bar.stop();
  const after = await infoOf(runner, name);
  if (after.rebuild?.status === 'failed') throw failure(`the rebuild of ${name} failed; the previous tables keep answering: ${after.rebuild.error ?? after.error}`);
  note(`view ${name} rebuilt: ${summary(after.position, 'events', bar.seconds)}`);
  return after;
}

async function infoOf(runner: ProjectionRunner, name: string): Promise<ProjectionInfo> {
  return (await runner.info()).find((p) => p.name === name) as ProjectionInfo;
}

function renderList(list: ProjectionInfo[]): string {
  const rows = list.map((p) => [
    p.name,
    String(p.version),
    String(p.position),
    String(p.lag),
    p.status,
    p.rebuild ? `rebuild ${p.rebuild.status} at ${p.rebuild.position}/${p.rebuild.total}` : (p.error ?? ''),
  ]);
  return table(['name', 'version', 'position', 'lag', 'status', 'note'], rows);
}
