import fc from 'fast-check';
import { type CsvRecord, CsvParser } from './csv-parser';

/** Feeds `text` in the given chunk sizes, as a file read in pieces would arrive. */
function parse(text: string, chunkSizes: number[] = [text.length || 1]): CsvRecord[] {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length]);
    records.push(...parser.feed(text.slice(at, at + size), 0));
    at += size;
  }
  return [...records, ...parser.end()];
}

const quote = (field: string) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field);

describe('CsvParser (RFC 4180, streamed)', () => {
  it('reads quoted commas, doubled quotes and line breaks, and tells the line each record starts on', () => {
    const records = parse('a,b,c\r\n1,"x, ""y""\r\nz",3\r\n\r\n4,,"6"\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', 'x, "y"\r\nz', '3']],
      [5, ['4', '', '6']],
    ]);
  });

  it('keeps a last record without a line break, and a trailing empty field', () => {
    expect(parse('a,b\n1,').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '']]);
  });

  it('flags a quote inside an unquoted field, text after a closing quote, and a quote never closed', () => {
    expect(parse('a"b,c\n')[0].problem).toMatch(/quote inside an unquoted field/);
    expect(parse('"a"b,c\n')[0].problem).toMatch(/after the closing quote/);
    expect(parse('x\n"open,\nmore\n')[1]).toMatchObject({ line: 2, problem: expect.stringMatching(/never closed/) });
  });

  it('reads back what a writer quoted, however the text is cut into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é') , maxLength: 8 });
    const record = fc.array(field, { minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), (records, chunks) => {
        const text = records.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
        const parsed = parse(text, chunks);
        expect(parsed.map((r) => r.fields)).toEqual(records);
        expect(parsed.every((r) => r.problem === undefined)).toBe(true);
      }),
    );
  });
});
