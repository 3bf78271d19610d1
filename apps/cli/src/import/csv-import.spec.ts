import fc from 'fast-check';
import { LineSet } from './line-set';
import { type CsvRecord, csvRecords } from './csv-records';
import { CsvLayout } from './csv-statements';

describe('LineSet', () => {
  it('holds line numbers as a Set would, growing as needed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200_000 }), { maxLength: 300 }), fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 50 }), (added, probes) => {
        const lines = new LineSet();
        added.forEach((line) => lines.add(line));
        const reference = new Set(added);
        expect(lines.size).toBe(reference.size);
        for (const line of [...added, ...probes]) expect(lines.has(line)).toBe(reference.has(line));
        // The same set again from its bits, as the CSV reader's thread makes it.
        const copy = new LineSet(lines.words.slice());
        expect(copy.size).toBe(reference.size);
        for (const line of [...added, ...probes]) expect(copy.has(line)).toBe(reference.has(line));
      }),
    );
  });
});

describe('CsvLayout.checkedStatement', () => {
  it('builds the statement `statement` builds from a valid row, key order included', async () => {
    const text = 'onBehalfOf,summary,actorId,topicId,stance,statedOn,sourceTitle,quote,publisher\nacme,Said so,ana,tax,yes,2025-01-01,Report,"We, said",Example\n,Said again,ana,tax,no,2025-01-02,Other,,\n';
    const records: CsvRecord[] = [];
    for await (const record of csvRecords([Buffer.from(text)])) records.push(record);
    const [header, ...rows] = records;
    const layout = CsvLayout.parse(header).layout as CsvLayout;
    for (const row of rows) {
      const { statement } = layout.statement(row);
      expect(statement).not.toBeNull();
      expect(JSON.stringify(layout.checkedStatement(row))).toBe(JSON.stringify(statement));
    }
    expect(JSON.stringify(layout.checkedStatement(rows[1]))).toBe(
      JSON.stringify({ actorId: 'ana', topicId: 'tax', stance: 'no', summary: 'Said again', statedOn: '2025-01-02', source: { title: 'Other' } }),
    );
  });
});

describe('CsvLayout: dates as the sources give them', () => {
  async function rows(text: string) {
    const records: CsvRecord[] = [];
    for await (const record of csvRecords([Buffer.from(text)])) records.push(record);
    const [header, ...rest] = records;
    return { layout: CsvLayout.parse(header).layout as CsvLayout, rows: rest };
  }

  it('reads an imprecise statedOn and its wording from a statedOnWording column, in the key order the API stores', async () => {
    const { layout, rows: [row] } = await rows('actorId,topicId,stance,statedOn,statedOnWording,summary,sourceTitle\nana,tax,yes,2025-02-17/2025-02-23,last week,Said so,Report\n');
    const { statement, problems } = layout.statement(row);
    expect(problems).toEqual([]);
    expect(JSON.stringify(statement)).toBe(
      JSON.stringify({ actorId: 'ana', topicId: 'tax', stance: 'yes', summary: 'Said so', statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week', source: { title: 'Report' } }),
    );
    expect(JSON.stringify(layout.checkedStatement(row))).toBe(JSON.stringify(statement));
  });

  it('names the column of a bad statedOn or wording, and keeps no statement of the row', async () => {
    const { layout, rows: [open, long] } = await rows(`statedOn,statedOnWording,actorId,topicId,stance,summary,sourceTitle\n2025-02-17/..,,ana,tax,yes,S,R\n2025-02,${'x'.repeat(201)},ana,tax,yes,S,R\n`);
    expect(layout.statement(open)).toEqual({ statement: null, problems: [{ field: 'statedOn', problem: expect.stringMatching(/^must be a day/) }] });
    expect(layout.statement(long)).toEqual({ statement: null, problems: [{ field: 'statedOnWording', problem: 'must be a non-blank text of at most 200 characters' }] });
  });
});
