import fc from 'fast-check';
import { LineSet } from './csv-import';
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
