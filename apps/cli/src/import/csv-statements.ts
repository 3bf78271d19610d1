import type { CsvRecord } from './csv-records';
import { type FieldProblem, type StatementInput, statementShapeProblems } from '@positions/application/statement-shape';

export const CSV_COLUMNS = ['actorId', 'topicId', 'stance', 'statedOn', 'statedOnWording', 'summary', 'quote', 'sourceUrl', 'sourceTitle', 'publisher', 'publishedOn', 'onBehalfOf'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['actorId', 'topicId', 'stance', 'statedOn', 'summary'];

/** Problems are named by the column the user sees in the spreadsheet, not the API's field. */
const COLUMN_OF: Readonly<Record<string, string>> = {
  source: 'sourceUrl/sourceTitle',
  'source.url': 'sourceUrl',
  'source.title': 'sourceTitle',
  'source.publisher': 'publisher',
  'source.publishedOn': 'publishedOn',
};
export const columnOf = (field: string | undefined): string => (field === undefined ? '(row)' : (COLUMN_OF[field] ?? field));

export interface ParsedRow {
  statement: StatementInput | null;
  problems: FieldProblem[];
}

/**
 * The header of a statements CSV, and how its rows become statements. Columns may come in any
 * order and the optional ones may be left out; an unknown column is refused, as the API refuses
 * an unknown field. An empty cell is an absent field.
 */
export class CsvLayout {
  /** Where each column is in a record, -1 when the header leaves it out. */
  private readonly at: Readonly<Record<Column, number>>;

  private constructor(private readonly columns: readonly Column[]) {
    this.at = Object.fromEntries(CSV_COLUMNS.map((c) => [c, columns.indexOf(c)])) as Record<Column, number>;
  }

  static parse(header: CsvRecord): { layout: CsvLayout | null; problems: FieldProblem[] } {
    const names = header.fields.map((f) => f.trim());
    const problems: FieldProblem[] = header.problem ? [{ field: '(header)', problem: header.problem }] : [];
    names.forEach((name, i) => {
      if (!(CSV_COLUMNS as readonly string[]).includes(name)) problems.push({ field: name || `(column ${i + 1})`, problem: `is not a column of a statements CSV (${CSV_COLUMNS.join(',')})` });
      else if (names.indexOf(name) !== i) problems.push({ field: name, problem: 'appears twice in the header' });
    });
    for (const name of REQUIRED) if (!names.includes(name)) problems.push({ field: name, problem: 'is a required column' });
    if (!names.includes('sourceUrl') && !names.includes('sourceTitle')) problems.push({ field: 'sourceUrl/sourceTitle', problem: 'a source needs a url or a title: one of these columns is required' });
    return { layout: problems.length ? null : new CsvLayout(names as Column[]), problems };
  }

  statement(record: CsvRecord): ParsedRow {
    if (record.problem) return { statement: null, problems: [{ field: '(row)', problem: record.problem }] };
    if (record.fields.length !== this.columns.length) {
      return { statement: null, problems: [{ field: '(row)', problem: `has ${record.fields.length} fields, the header ${this.columns.length}` }] };
    }
    const missing = REQUIRED.filter((c) => this.cell(record.fields, c) === undefined);
    if (missing.length) return { statement: null, problems: missing.map((field) => ({ field, problem: 'is required' })) };
    const statement = this.toStatement(record.fields);
    const problems = statementShapeProblems(statement).map((p) => ({ ...p, field: columnOf(p.field) }));
    return { statement: problems.length ? null : statement, problems };
  }

  /**
   * The statement of a record `statement` already found valid (the second pass of an import,
   * over a file checked unchanged): built again without checking its shape again.
   */
  checkedStatement(record: CsvRecord): StatementInput {
    return this.toStatement(record.fields);
  }

  /** A cell's text; undefined for an empty cell or a column the header leaves out. */
  private cell(fields: readonly string[], column: Column): string | undefined {
    const i = this.at[column];
    const value = i < 0 ? '' : fields[i];
    return value === '' ? undefined : value;
  }

  /** Keys in the order the API's DTOs give them, so the stored JSON is the same whichever way a statement came in. */
  private toStatement(fields: readonly string[]): StatementInput {
    const cell = (column: Column) => this.cell(fields, column);
    const [quote, statedOnWording, url, title, publisher, publishedOn, onBehalfOf] = (['quote', 'statedOnWording', 'sourceUrl', 'sourceTitle', 'publisher', 'publishedOn', 'onBehalfOf'] as const).map(cell);
    const source: StatementInput['source'] = {};
    if (url !== undefined) source.url = url;
    if (title !== undefined) source.title = title;
    if (publisher !== undefined) source.publisher = publisher;
    if (publishedOn !== undefined) source.publishedOn = publishedOn;
    return {
      actorId: cell('actorId') as string,
      topicId: cell('topicId') as string,
      stance: cell('stance') as string,
      summary: cell('summary') as string,
      ...(quote !== undefined && { quote }),
      statedOn: cell('statedOn') as string,
      ...(statedOnWording !== undefined && { statedOnWording }),
      source,
      ...(onBehalfOf !== undefined && { onBehalfOf }),
    };
  }
}
