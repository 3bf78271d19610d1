#!/usr/bin/env node
import { DomainError } from '@positions/domain';
import { CommanderError } from 'commander';
import { CliError, EXIT, type ExitCode } from './cli-errors';
import { note } from './output';
import { buildProgram } from './program';

/** Runs one command and turns how it ended into an exit code (see `positions --help`). */
async function main(argv: string[]): Promise<ExitCode> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    return await exitCodeOf(error);
  }
}

async function exitCodeOf(error: unknown): Promise<ExitCode> {
  // Commander has printed its own message (or the help) already.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof CliError) {
    note(`error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof DomainError) {
    note(`error: ${error.field ? `${error.field}: ` : ''}${error.message}`);
    return EXIT.invalid;
  }
  // Loaded here, not at the top: the store's drivers are loaded only once a command needs them.
  const { AppendOutcomeUnknownError, StoreUnavailableError } = await import('@positions/event-store');
  if (error instanceof AppendOutcomeUnknownError) {
    note(`error: the store did not confirm a write, which may have been recorded; check before running the command again: ${error.message}`);
    return EXIT.failed;
  }
  if (error instanceof StoreUnavailableError) {
    note(`error: the store is unavailable, nothing was written: ${error.message}`);
    return EXIT.failed;
  }
  note(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.failed;
}

// A reader that stops early (`positions export | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

void main(process.argv).then((code) => {
  process.exitCode = code;
  // Everything is closed by now; should a client library keep a handle open, do not hang the shell.
  setTimeout(() => process.exit(code), 5000).unref();
});
