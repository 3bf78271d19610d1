import { setImmediate as yieldToRequests } from 'node:timers/promises';

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

/** A text's words, folded once, and its weight. */
interface FoldedText {
  words: string[];
  whole: string;
  weight: number;
}

/**
 * How well `texts` match the query's words: null when a word matches nowhere, else the sum
 * over the words of the best weight among the texts they match, with a bonus when a whole
 * text equals the query.
 */
function matchScore(queryWords: readonly string[], folded: readonly FoldedText[]): number | null {
  let score = 0;
  for (const word of queryWords) {
    let best = 0;
    for (const text of folded) if (text.weight > best && text.words.some((w) => w.startsWith(word))) best = text.weight;
    if (best === 0) return null;
    score += best;
  }
  const whole = queryWords.join(' ');
  if (folded.some((t) => t.whole === whole)) score += 100;
  return score;
}

/** Items folded per turn of the event loop: a few milliseconds of work between pauses. */
export const FOLDED_PER_TURN = 1000;

/**
 * Matches `q` against a listing whose texts are folded once per change of the views, not per
 * request: folding (Unicode normalization) and parsing 10,000 actors took ~400 ms a request
 * on a busy machine, blocking the service; scoring folded words takes a few milliseconds.
 * Folding the listing anew (the first search, and the first after a change) still took 60-80 ms
 * at 10,000 actors, so it pauses every FOLDED_PER_TURN items to let other requests in; searches
 * asked meanwhile wait for the same fold.
 */
export class NameMatcher<T> {
  private folded: { version: number; items: Promise<{ item: T; folded: FoldedText[] }[]> } | null = null;

  constructor(private readonly textsOf: (item: T) => WeightedText[]) {}

  /**
   * The items whose texts match `q`, best first, ties in their listed order; `list` is read only when `version` moved,
   * in the pieces it gives (a large listing is read a piece per turn).
   */
  async bestMatches(version: number, list: () => AsyncIterable<readonly T[]> | Iterable<readonly T[]>, q: string): Promise<T[]> {
    const words = foldedWords(q);
    if (words.length === 0) return [];
    if (this.folded?.version !== version) this.folded = { version, items: this.fold(list()) };
    return (await this.folded.items)
      .map(({ item, folded }, index) => ({ item, index, score: matchScore(words, folded) }))
      .filter((m): m is { item: T; index: number; score: number } => m.score !== null)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .map((m) => m.item);
  }

  private async fold(pieces: AsyncIterable<readonly T[]> | Iterable<readonly T[]>): Promise<{ item: T; folded: FoldedText[] }[]> {
    const fold = ({ text, weight }: WeightedText) => {
      const words = foldedWords(text);
      return { words, whole: words.join(' '), weight };
    };
    const folded: { item: T; folded: FoldedText[] }[] = [];
    for await (const items of pieces) {
      for (let from = 0; from < items.length; from += FOLDED_PER_TURN) {
        if (folded.length > 0) await yieldToRequests();
        for (const item of items.slice(from, from + FOLDED_PER_TURN)) folded.push({ item, folded: this.textsOf(item).map(fold) });
      }
    }
    return folded;
  }
}
