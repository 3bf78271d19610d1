import { canonicalJson } from '@positions/domain';
import fc from 'fast-check';
import { canonicalStatement, type StatementInput, statementFingerprint, statementHash, statementShapeProblems } from './statement-input';

const text = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });

describe('canonicalStatement', () => {
  const identity = (s: StatementInput) => {
    const { actorId, topicId, stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf } = s;
    return canonicalJson({ actorId, topicId, stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf });
  };

  it('is canonicalJson of the statement’s identity, whatever the fields and their order', () => {
    const source = fc.record({ url: text, title: text, publisher: text, publishedOn: text }, { requiredKeys: [] });
    const statement = fc.record(
      { actorId: fc.string(), topicId: fc.string(), stance: fc.string(), summary: fc.string(), statedOn: fc.string(), quote: text, statedOnWording: text, onBehalfOf: text, source, statementId: fc.uuid() },
      { requiredKeys: ['actorId', 'topicId', 'stance', 'summary', 'statedOn', 'source'] },
    );
    fc.assert(
      fc.property(statement, fc.boolean(), (s, reversed) => {
        const input = (reversed ? Object.fromEntries(Object.entries(s).reverse()) : s) as StatementInput;
        expect(canonicalStatement(input)).toBe(identity(input));
      }),
    );
  });

  it('falls back to canonicalJson for anything else: other keys in the source, other types', () => {
    const odd = [
      { actorId: 'a', topicId: 't', stance: 's', summary: 'x', statedOn: '2025-01-01', source: { title: 'T', page: 3 } },
      { actorId: 'a', topicId: 't', stance: 's', summary: 'x', statedOn: '2025-01-01', source: { title: 'T', url: null } },
      { actorId: 'a', topicId: 't', stance: 's', summary: 'x', statedOn: 20250101, source: { title: 'T' } },
    ] as unknown as StatementInput[];
    for (const s of odd) expect(canonicalStatement(s)).toBe(identity(s));
  });

  it('gives the string fingerprint and the 16-byte one from the same digest', () => {
    const s: StatementInput = { actorId: 'a', topicId: 't', stance: 'for', summary: 'S', statedOn: '2025-01-01', source: { url: 'https://example.org', title: 'T' } };
    expect(Buffer.from(statementHash(s)).toString('base64url').slice(0, 21)).toBe(statementFingerprint(s).slice(0, 21));
    expect(statementHash({ ...s, source: { title: 'T', url: 'https://example.org' } })).toEqual(statementHash(s));
  });
});

describe('statementShapeProblems: dates as the sources give them', () => {
  const base: StatementInput = { actorId: 'a', topicId: 't', stance: 'yes', summary: 'S', statedOn: '2025-02-18', source: { title: 'T' } };
  const problems = (extra: Partial<StatementInput>) => statementShapeProblems({ ...base, ...extra });

  it('takes every EDTF level 1 form the API takes, with or without a wording', () => {
    for (const statedOn of ['2025-02-18', '2025-02-18T10:30:00+03:00', '2025-02', '2025', '2025-02-17/2025-02-23', '2025-01/2025-03', '2024/2025', '2025-02-18~', '2025-02?', '2025%']) {
      expect(problems({ statedOn })).toEqual([]);
      expect(problems({ statedOn, statedOnWording: 'last week' })).toEqual([]);
    }
  });

  it('refuses the forms the API refuses, naming statedOn and the forms it takes', () => {
    for (const statedOn of ['2025-13', '2025-02-30/2025-03-01', '2025-02-20/2025-02-10', '2025-02-17/..', '/2025-02-23', 'last week', '2025-02-18T10:30']) {
      expect(problems({ statedOn })).toEqual([{ field: 'statedOn', problem: expect.stringContaining('an interval of days, months or years (2025-02-17/2025-02-23)') }]);
    }
  });

  it('takes a wording of 1 to 200 characters, counted as code points', () => {
    expect(problems({ statedOnWording: '🙂'.repeat(200) })).toEqual([]);
    expect(problems({ statedOnWording: 'x'.repeat(201) })).toEqual([{ field: 'statedOnWording', problem: 'must be a non-blank text of at most 200 characters' }]);
    expect(problems({ statedOnWording: '  ' })).toEqual([{ field: 'statedOnWording', problem: 'must be a non-blank text of at most 200 characters' }]);
  });

  it('counts the other texts as code points too, as the API does', () => {
    expect(problems({ summary: '🙂'.repeat(2000) })).toEqual([]);
    expect(problems({ summary: '🙂'.repeat(2001) })).toEqual([{ field: 'summary', problem: 'must be a non-blank text of at most 2000 characters' }]);
  });

  it('makes the wording part of a statement’s identity, and leaves the identity of a statement without one as it was', () => {
    expect(statementFingerprint({ ...base, statedOnWording: 'last week' })).not.toBe(statementFingerprint(base));
    expect(canonicalStatement(base)).toBe(
      JSON.stringify({ actorId: 'a', source: { title: 'T' }, stance: 'yes', statedOn: '2025-02-18', summary: 'S', topicId: 't' }),
    );
  });
});
