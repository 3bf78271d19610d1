import { InvalidValue } from '@positions/domain';

/**
 * The user's words as an FTS5 query: words, `"a phrase"` and `prefix*`, every other character
 * taken literally (each word is quoted, so `AND`, `NEAR(`, `col:` and `^` are plain words).
 * Unbalanced quotes and a query without a word are refused.
 */
export function toMatchQuery(q: string): string {
  if ((q.match(/"/g) ?? []).length % 2 !== 0) throw new InvalidValue('q has an unbalanced double quote: close the phrase with "', 'q');
  const parts: string[] = [];
  for (const [, phrase, word] of q.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const text = phrase ?? word;
    const prefix = phrase === undefined && text.endsWith('*');
    const bare = prefix ? text.replace(/\*+$/, '') : text;
    if (!/[\p{L}\p{N}]/u.test(bare)) continue;
    parts.push(`"${bare.replace(/\*/g, ' ')}"${prefix ? '*' : ''}`);
  }
  if (parts.length === 0) throw new InvalidValue('q must contain at least one word (letters or digits)', 'q');
  return parts.join(' ');
}
