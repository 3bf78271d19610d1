import { type Command, InvalidArgumentError } from 'commander';
import type { MessageFilter, MessageType } from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliConfig } from '../cli-config';
import { printJson, printText } from '../output';
import { messageLine } from '../watch/watch-lines';
import { examples, slugArgument } from './arguments';

/**
 * The stream's message types, spelled out rather than taken from the application's
 * WATCH_TYPES: `--help` must not load the application (program.spec.ts checks the two agree).
 */
export const WATCH_TYPES: readonly MessageType[] = ['position-changed', 'voice-diverged', 'voice-converged', 'statement-corrected', 'statement-retracted'];

interface WatchOptions {
  topic?: string;
  actor?: string;
  types?: MessageType[];
  after?: number;
  json?: boolean;
}

/** How often the log is read for what another process (the service) wrote. */
const POLL_MS = 500;

function typesArgument(value: string): MessageType[] {
  const types = value.split(',');
  const unknown = types.filter((t) => !(WATCH_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown message type ${unknown.join(', ')}; one of ${WATCH_TYPES.join(', ')}`);
  return types as MessageType[];
}

function positionArgument(value: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value)) throw new InvalidArgumentError('must be a log position (a whole number)');
  return Number(value);
}

/** `watch`: the stream's messages as they are recorded, derived from the log as the service derives them. */
export function registerWatchCommand(program: Command, config: () => CliConfig): void {
  program
    .command('watch')
    .description('print each change to a current position, a voice, a correction or a retraction as it is recorded (until Ctrl-C)')
    .option('--topic <topic>', 'only messages about this topic', slugArgument)
    .option('--actor <actor>', 'only messages about this actor (or organization)', slugArgument)
    .option('--types <types>', `only these message types, comma-separated: ${WATCH_TYPES.join(', ')}`, typesArgument)
    .option('--after <position>', 'also print what came after this log position (default: only what comes from now)', positionArgument)
    .option('--json', 'one JSON message per line: {type, position, data}')
    .addHelpText('after', examples([
      ['positions watch --actor donald-trump', 'every move of his current positions'],
      ['positions watch --topic russia-sanctions-relief --types voice-diverged,voice-converged --json', 'organizations whose spokespeople disagree, for scripts'],
    ]))
    .action(async (options: WatchOptions) => {
      // Loaded here, not at the top: --help and usage errors start nothing.
      const { withStore } = await import('../cli-context');
      await withStore(config(), (store) => follow(store, options));
    });
}

async function follow(store: EventStore, options: WatchOptions): Promise<void> {
  const { matchesFilter, MessageDeriver } = await import('@positions/application');
  const filter: MessageFilter = { ...(options.topic && { topicId: options.topic }), ...(options.actor && { actorId: options.actor }), ...(options.types && { types: options.types }) };
  const deriver = new MessageDeriver();
  const from = options.after ?? (await store.lastPosition());
  let stopped = false;
  process.once('SIGINT', () => (stopped = true));
  process.once('SIGTERM', () => (stopped = true));
  while (!stopped) {
    const page = await store.readAll({ after: deriver.position, limit: 1000 });
    for (const event of page) {
      for (const message of deriver.apply(event)) {
        if (message.position <= from || !matchesFilter(filter, message)) continue;
        await (options.json ? printJson({ type: message.type, position: message.position, data: message.data }) : printText(messageLine(message)));
      }
    }
    if (page.length === 0) await sleep(POLL_MS);
  }
}
