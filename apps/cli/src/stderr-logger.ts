import type { LoggerService } from '@nestjs/common';

/**
 * Nest's console logger writes to stdout, which belongs to `--json` and `export` output:
 * this one writes to stderr, and says routine things only with `--verbose`.
 */
export class StderrLogger implements LoggerService {
  constructor(private readonly chatty: boolean) {}

  log(message: unknown, context?: string): void {
    if (this.chatty) this.write('info', message, context);
  }

  warn(message: unknown, context?: string): void {
    this.write('warning', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?); the stack only helps with --verbose.
    const context = typeof rest[rest.length - 1] === 'string' ? String(rest[rest.length - 1]) : undefined;
    // A failed start (store unreachable) is reported once, by main, with its exit code.
    if (context === 'ExceptionHandler' && !this.chatty) return;
    this.write('error', message, context);
    if (this.chatty && rest.length > 1 && typeof rest[0] === 'string') process.stderr.write(`${rest[0]}\n`);
  }

  debug(message: unknown, context?: string): void {
    if (this.chatty) this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    if (this.chatty) this.write('debug', message, context);
  }

  private write(level: string, message: unknown, context?: string): void {
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    process.stderr.write(`${level}${context ? ` [${context}]` : ''}: ${text}\n`);
  }
}
