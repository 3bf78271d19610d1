import fc from 'fast-check';
import { type CsvRecord, csvRecords } from './csv-records';

/** Feeds `text` in the given chunk sizes (of bytes), as a file read in pieces would arrive. */
async function parse(text: string, chunkSizes: number[] = [Buffer.byteLength(text) || 1]): Promise<CsvRecord[]> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0, at = 0; at < bytes.length; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length]);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const records: CsvRecord[] = [];
  for await (const record of csvRecords(chunks)) records.push(record);
  return records;
}

const quote = (field: string) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field);

describe('csvRecords (RFC 4180, streamed, with csv-parse)', () => {
  it('reads quoted commas, doubled quotes and line breaks, and tells the line each record starts on', async () => {
    const records = await parse('a,b,c\r\n1,"x, ""y""\r\nz",3\r\n\r\n4,,"6"\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', 'x, "y"\r\nz', '3']],
      [5, ['4', '', '6']],
    ]);
  });

  it('keeps a last record without a line break, and a trailing empty field', async () => {
    expect((await parse('a,b\n1,')).map((r) => r.fields)).toEqual([['a', 'b'], ['1', '']]);
  });

  it('flags a quote inside an unquoted field, text after a closing quote, and a quote never closed', async () => {
    expect((await parse('a"b,c\n'))[0].problem).toMatch(/quote inside an unquoted field/);
    expect((await parse('"a"b,c\n'))[0].problem).toMatch(/after the closing quote/);
    expect((await parse('x\n"open,\nmore\n'))[1]).toMatchObject({ line: 2, problem: expect.stringMatching(/never closed/) });
  });

  it('goes on after a bad record, numbering the lines after it as before', async () => {
    const records = await parse('a,b\n"x\r\ny",1\nbad"quote,2\n\nc,3\n');
    expect(records.map((r) => [r.line, r.fields, r.problem !== undefined])).toEqual([
      [1, ['a', 'b'], false],
      [2, ['x\r\ny', '1'], false],
      [4, [], true],
      [6, ['c', '3'], false],
    ]);
  });

  it('reads back what a writer quoted, and the line each record starts on, however the text is cut into chunks', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é') , maxLength: 8 });
    const record = fc.array(field, { minLength: 2, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), async (records, chunks) => {
        const text = records.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
        const parsed = await parse(text, chunks);
        expect(parsed.map((r) => r.fields)).toEqual(records);
        expect(parsed.every((r) => r.problem === undefined)).toBe(true);
        // Each record starts on the line after the last one's line breaks.
        let line = 1;
        for (const [i, r] of records.entries()) {
          expect(parsed[i].line).toBe(line);
          line += r.join(',').split('\n').length;
        }
      }),
    );
  });
});
