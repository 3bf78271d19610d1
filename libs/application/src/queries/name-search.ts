/**
 * Finding actors and topics by what people type: case and accents ignored, each word of the
 * query a prefix of some word of the candidate's texts. The lists are small (thousands), so
 * this runs over the listing rather than a text index.
 */

/** The words of a text, lower-cased and without accents (`Brüssel` → `brussel`). */
export function foldedWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** A text to match and how much a match in it counts (a name more than a proposition). */
export interface WeightedText {
  text: string;
  weight: number;
}

/**
 * How well `texts` match the query's words: null when a word matches nowhere, else the sum
 * over the words of the best weight among the texts they match, with a bonus when a whole
 * text equals the query.
 */
export function matchScore(queryWords: readonly string[], texts: readonly WeightedText[]): number | null {
  const folded = texts.map(({ text, weight }) => ({ words: foldedWords(text), weight }));
  let score = 0;
  for (const word of queryWords) {
    const best = Math.max(0, ...folded.filter((t) => t.words.some((w) => w.startsWith(word))).map((t) => t.weight));
    if (best === 0) return null;
    score += best;
  }
  const whole = queryWords.join(' ');
  if (folded.some((t) => t.words.join(' ') === whole)) score += 100;
  return score;
}

/** The items whose texts match `q`, best first, ties in their listed order. */
export function bestMatches<T>(items: readonly T[], q: string, textsOf: (item: T) => WeightedText[]): T[] {
  const words = foldedWords(q);
  if (words.length === 0) return [];
  return items
    .map((item, index) => ({ item, index, score: matchScore(words, textsOf(item)) }))
    .filter((m): m is { item: T; index: number; score: number } => m.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((m) => m.item);
}
