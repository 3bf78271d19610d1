import type { Span } from '@positions/domain';

/** A direct quote: the words between the marks (`span`), without the marks or a trailing comma. */
export interface Quote {
  text: string;
  span: Span;
  /** With its marks. */
  outer: Span;
}

/** A sentence of the article with its quotes; `outside` is its text with every quote blanked out (offsets kept). */
export interface Sentence {
  span: Span;
  paragraph: number;
  text: string;
  outside: string;
  quotes: Quote[];
}

/** Opening mark → closing mark. A straight `"` closes itself; `‘` only closes on a `’` not followed by a letter (not "Russia’s"). */
const QUOTE_PATTERN = /“([^”\n]{1,5000})”|"([^"\n]{1,5000})"|‘((?:[^’\n]|’(?=\p{L}))){1,5000}’(?!\p{L})/gu;

/** Words that end with a full stop without ending a sentence. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'sen', 'rep', 'gov', 'st', 'jan', 'feb', 'mar', 'apr', 'aug', 'sept', 'sep', 'oct', 'nov', 'dec', 'no', 'vs', 'u.s', 'u.k', 'e.u', 'u.n']);

export function findQuotes(text: string): Quote[] {
  const quotes: Quote[] = [];
  for (const match of text.matchAll(QUOTE_PATTERN)) {
    const start = (match.index ?? 0) + 1;
    const inner = match[0].slice(1, -1);
    // "…all sides,” he said": the comma belongs to the sentence, not to the words quoted.
    const trimmed = inner.replace(/[\s,;:]+$/u, '').replace(/^\s+/u, '');
    const lead = inner.length - inner.replace(/^\s+/u, '').length;
    if (trimmed.length === 0) continue;
    quotes.push({ text: trimmed, span: [start + lead, start + lead + trimmed.length], outer: [start - 1, start - 1 + match[0].length] });
  }
  return quotes;
}

/** Paragraphs (split on blank lines or single newlines) and their sentences, quotes kept whole inside their sentence. */
export function splitSentences(text: string): Sentence[] {
  const quotes = findQuotes(text);
  const masked = maskQuotes(text, quotes);
  const sentences: Sentence[] = [];
  let paragraph = 0;
  for (const block of masked.matchAll(/[^\n]+/g)) {
    const blockStart = block.index ?? 0;
    for (const [start, end] of sentenceSpans(block[0], text.slice(blockStart, blockStart + block[0].length))) {
      const span: Span = [blockStart + start, blockStart + end];
      const own = quotes.filter((q) => q.outer[0] >= span[0] && q.outer[1] <= span[1]);
      sentences.push({ span, paragraph, text: text.slice(span[0], span[1]), outside: masked.slice(span[0], span[1]), quotes: own });
    }
    paragraph += 1;
  }
  return sentences;
}

/** The text with each quote (marks included) blanked out, so searches outside quotes keep their offsets. */
function maskQuotes(text: string, quotes: Quote[]): string {
  const chars = text.split('');
  for (const { outer } of quotes) {
    for (let i = outer[0]; i < outer[1]; i++) chars[i] = i === outer[0] || i === outer[1] - 1 ? '"' : 'x';
  }
  return chars.join('');
}

/** Sentence ends in the masked block: after . ! ? … (not an abbreviation), or after a quote whose words end with one. */
function sentenceSpans(block: string, original: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const end of block.matchAll(/(?:[.!?…]+["”’)]?|x")(?=\s+(?:["“‘(]?\p{Lu}|"x))/gu)) {
    const stop = (end.index ?? 0) + end[0].length;
    if (end[0] === 'x"') {
      if (/[.!?…]/u.test(original[stop - 2])) {
        pushTrimmed(spans, block, start, stop);
        start = stop;
      }
      continue;
    }
    const word = /([\p{L}.]+)[.]$/u.exec(block.slice(start, stop))?.[1]?.toLowerCase() ?? '';
    if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word)) continue;
    pushTrimmed(spans, block, start, stop);
    start = stop;
  }
  pushTrimmed(spans, block, start, block.length);
  return spans;
}

function pushTrimmed(spans: Span[], block: string, start: number, end: number): void {
  const piece = block.slice(start, end);
  const lead = piece.length - piece.trimStart().length;
  const trail = piece.length - piece.trimEnd().length;
  if (end - trail > start + lead) spans.push([start + lead, end - trail]);
}
