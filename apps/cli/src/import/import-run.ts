import type { CommandContext } from '@positions/application';
import { DomainError } from '@positions/domain';
import { randomUUID } from 'node:crypto';
import { failure, invalidInput } from '../cli-errors';
import type { FileProblems } from '../file-problems';
import { note } from '../output';
import type { DryRun, Outcome } from './dry-run';
import { RowRefused, type StatementWriter } from './statement-writer';

export interface ImportOptions {
  skipInvalid: boolean;
  /** Check only: run the dry run and report, write nothing. */
  dryRun: boolean;
  batchSize: number;
}

export interface ImportCounts {
  /** Rows or entries read. */
  read: number;
  written: number;
  /** Already in the store (or earlier in the file): nothing to write. */
  recorded: number;
  invalid: number;
}

/** How a file names a field the domain blames (undefined: the row as a whole). */
export type Rename = (field: string | undefined) => string;

/** One run of `import`: the file, the dry run and the writers, shared by the CSV and data-set paths. */
export class ImportRun {
  readonly counts: ImportCounts = { read: 0, written: 0, recorded: 0, invalid: 0 };
  readonly writer: StatementWriter;
  private readonly correlationId = randomUUID();

  constructor(
    readonly file: string,
    readonly options: ImportOptions,
    readonly problems: FileProblems,
    readonly dryRun: DryRun,
    private readonly recordedBy: string,
    writer: (run: { context: () => CommandContext; counts: ImportCounts }) => StatementWriter,
  ) {
    this.writer = writer({ context: () => this.context(), counts: this.counts });
  }

  /** Every event of one import shares a correlation id, as the API's events share their request's. */
  context(idempotencyKey?: string): CommandContext {
    const idempotency = idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: idempotencyKey } } : {};
    return { recordedBy: this.recordedBy, correlationId: this.correlationId, causationId: randomUUID(), ...idempotency };
  }

  /** Runs one row through the dry run; a refusal becomes a problem of that line (`rename` maps fields to the file's names). */
  async decide(line: number, decision: () => Promise<Outcome>, rename: Rename = (f) => f ?? '(row)'): Promise<Outcome | 'invalid'> {
    try {
      const outcome = await decision();
      if (outcome === 'recorded') this.counts.recorded++;
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.problems.add(line, rename(error.field), error.message);
      this.counts.invalid++;
      return 'invalid';
    }
  }

  /** After the dry run: stop (exit 1, nothing written) on problems unless --skip-invalid, which reports them and goes on. */
  settleProblems(): void {
    if (this.problems.count === 0) return;
    this.problems.print();
    const what = `${this.problems.count} problems on ${this.counts.invalid} rows`;
    if (!this.options.skipInvalid) throw invalidInput(`${this.file}: ${what}; nothing was written (--skip-invalid writes the valid rows)`);
    note(`${this.file}: ${what}; they are skipped (--skip-invalid)`);
  }

  /** A write refused after the dry run passed: the store changed meanwhile. Says what was written. */
  writeFailed(error: unknown, rename: Rename = (f) => f ?? '(row)'): Error {
    const after = `${this.counts.written} rows were written before it, the rest were not; importing the file again writes only what is missing`;
    if (error instanceof RowRefused) {
      return failure(`${this.file}:${error.line}: ${rename(error.reason.field)}: ${error.reason.message} (the store changed since the check); ${after}`);
    }
    if (error instanceof DomainError) return failure(`${this.file}: ${error.message} (the store changed since the check); ${after}`);
    return failure(`${this.file}: ${error instanceof Error ? error.message : String(error)}; ${after}`);
  }

  summary(seconds: number): string {
    const { read, written, recorded, invalid } = this.counts;
    const verb = this.options.dryRun ? 'would be written' : 'written';
    return `${this.file}: ${read} read, ${written} ${verb}, ${recorded} already recorded, ${invalid} invalid, in ${seconds.toFixed(1)} s`;
  }
}
