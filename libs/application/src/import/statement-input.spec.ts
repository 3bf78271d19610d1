import { canonicalJson } from '@positions/domain';
import fc from 'fast-check';
import { canonicalStatement, type StatementInput, statementFingerprint, statementHash } from './statement-input';

const text = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });

describe('canonicalStatement', () => {
  const identity = (s: StatementInput) => {
    const { actorId, topicId, stance, summary, quote, statedOn, source, onBehalfOf } = s;
    return canonicalJson({ actorId, topicId, stance, summary, quote, statedOn, source, onBehalfOf });
  };

  it('is canonicalJson of the statement’s identity, whatever the fields and their order', () => {
    const source = fc.record({ url: text, title: text, publisher: text, publishedOn: text }, { requiredKeys: [] });
    const statement = fc.record(
      { actorId: fc.string(), topicId: fc.string(), stance: fc.string(), summary: fc.string(), statedOn: fc.string(), quote: text, onBehalfOf: text, source, statementId: fc.uuid() },
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
