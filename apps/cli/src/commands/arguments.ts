import { InvalidArgumentError } from 'commander';
import { isSlug, isTimeValue } from '@positions/domain';

/**
 * Parsers for command-line values, with the domain's own definitions: a malformed id or date is
 * a usage error (exit 2), caught before anything is opened.
 */
export function slugArgument(value: string): string {
  if (!isSlug(value)) throw new InvalidArgumentError('must be an id: lowercase letters, digits and single hyphens, at most 64 characters');
  return value;
}

export function timeArgument(value: string): string {
  if (!isTimeValue(value)) throw new InvalidArgumentError('must be a date (2025-02-26) or a date-time with seconds and an offset (2025-02-26T14:30:00Z)');
  return value;
}

export function positiveInteger(value: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(value)) throw new InvalidArgumentError('must be a whole number from 1 to 9999999');
  return Number(value);
}

/** The "Examples:" block of a command's help. */
export function examples(lines: readonly [command: string, what: string][]): string {
  return `\nExamples:\n${lines.map(([command, what]) => `  $ ${command}\n      ${what}`).join('\n')}\n`;
}
