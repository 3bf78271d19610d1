import { type ImportCounts, type ImportSession, type Outcome, RowRefused } from '@positions/application';
import { DomainError } from '@positions/domain';
import { failure, invalidInput } from '../cli-errors';
import type { FileProblems } from '../file-problems';
import { note } from '../output';

export interface ImportOptions {
  skipInvalid: boolean;
  /** Check only: run the import's check and report, write nothing. */
  dryRun: boolean;
  batchSize: number;
}

/** How a file names a field the domain blames (undefined: the row as a whole). */
export type Rename = (field: string | undefined) => string;

/** One run of `import` as the CLI sees it: a file, its options, its problems, and the application's import session. */
export class ImportRun {
  constructor(
    readonly file: string,
    readonly options: ImportOptions,
    readonly problems: FileProblems,
    readonly session: ImportSession,
  ) {}

  get counts(): ImportCounts {
    return this.session.counts;
  }

  /** Runs one row through the check; a refusal becomes a problem of that line (`rename` maps fields to the file's names). */
  async decide(line: number, decision: () => Promise<Outcome>, rename: Rename = (f) => f ?? '(row)'): Promise<Outcome | 'invalid'> {
    const outcome = await this.session.decide(decision);
    if (!(outcome instanceof DomainError)) return outcome;
    this.problems.add(line, rename(outcome.field), outcome.message);
    return 'invalid';
  }

  /** After the check: stop (exit 1, nothing written) on problems unless --skip-invalid, which reports them and goes on. */
  settleProblems(): void {
    if (this.problems.count === 0) return;
    this.problems.print();
    const what = `${this.problems.count} problems on ${this.counts.invalid} rows`;
    if (!this.options.skipInvalid) throw invalidInput(`${this.file}: ${what}; nothing was written (--skip-invalid writes the valid rows)`);
    note(`${this.file}: ${what}; they are skipped (--skip-invalid)`);
  }

  /** A write refused after the check passed: the store changed meanwhile. Says what was written. */
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
