import type { CsvRecord } from './csv-parser';
import { type FieldProblem, type StatementInput, statementShapeProblems } from './statement-input';

export const CSV_COLUMNS = ['actorId', 'topicId', 'stance', 'statedOn', 'summary', 'quote', 'sourceUrl', 'sourceTitle', 'publisher', 'publishedOn', 'onBehalfOf'] as const;
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
  private constructor(private readonly columns: readonly Column[]) {}

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
    const cell = new Map<Column, string | undefined>(this.columns.map((c, i) => [c, record.fields[i] === '' ? undefined : record.fields[i]]));
    const missing = REQUIRED.filter((c) => cell.get(c) === undefined);
    if (missing.length) return { statement: null, problems: missing.map((field) => ({ field, problem: 'is required' })) };
    const statement = toStatement(cell as Map<Column, string>);
    const problems = statementShapeProblems(statement).map((p) => ({ ...p, field: columnOf(p.field) }));
    return { statement: problems.length ? null : statement, problems };
  }
}

function toStatement(cell: Map<Column, string>): StatementInput {
  const optional = <K extends string>(key: K, column: Column) => (cell.get(column) === undefined ? {} : ({ [key]: cell.get(column) } as Record<K, string>));
  return {
    actorId: cell.get('actorId') as string,
    topicId: cell.get('topicId') as string,
    stance: cell.get('stance') as string,
    summary: cell.get('summary') as string,
    ...optional('quote', 'quote'),
    statedOn: cell.get('statedOn') as string,
    source: { ...optional('url', 'sourceUrl'), ...optional('title', 'sourceTitle'), ...optional('publisher', 'publisher'), ...optional('publishedOn', 'publishedOn') },
    ...optional('onBehalfOf', 'onBehalfOf'),
  };
}
