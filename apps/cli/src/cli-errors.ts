/** Exit codes of `positions`, documented in `--help`: scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The input (a file, an id, a date) is invalid or names nothing; nothing was written. */
  invalid: 1,
  /** The command line or the environment is malformed (unknown option, missing argument, bad EVENT_STORE). */
  usage: 2,
  /** The work could not be done (store unavailable, a write refused half-way); the message says what was written. */
  failed: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is meant for the user as is, with the exit code it ends the process with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const invalidInput = (message: string): CliError => new CliError(message, EXIT.invalid);
export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);
export const failure = (message: string): CliError => new CliError(message, EXIT.failed);
