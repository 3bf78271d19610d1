/** The parts of the `edtf` package (no types of its own) that the domain uses. */
declare module 'edtf' {
  interface ParsedDate {
    type: 'Date';
    level: number;
    values: number[];
    offset?: number;
    approximate?: unknown;
    uncertain?: unknown;
    unspecified?: unknown;
  }
  interface ParsedOther {
    type: 'Interval' | 'Season' | 'Year' | 'Set' | 'List' | 'Century' | 'Decade';
    level: number;
    values: (ParsedDate | null | unknown)[];
  }
  export type Parsed = ParsedDate | ParsedOther;
  /** Parses an EDTF string (throws on anything else); `level` bounds the features accepted. */
  export function parse(input: string, options?: { level?: 0 | 1 | 2; types?: string[] }): Parsed;
  interface Extended {
    /** Epoch ms of the first and the last millisecond the value may name. */
    min: number;
    max: number;
  }
  const edtf: (input: string, options?: { level?: 0 | 1 | 2 }) => Extended;
  export default edtf;
}
