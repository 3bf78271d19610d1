/** What a stretch of the article is, for highlighting: a candidate's words or its speaker's name. */
export interface Highlight {
  start: number;
  end: number;
  kind: 'words' | 'speaker';
  candidateId: string;
}

export interface Segment {
  text: string;
  highlight: Highlight | null;
}

/**
 * The article cut into plain and highlighted stretches, in order, covering the whole text once.
 * Overlapping highlights (a speaker named inside another's quote) keep the one that starts first.
 */
export function segments(text: string, highlights: readonly Highlight[]): Segment[] {
  const sorted = highlights
    .filter((h) => h.start >= 0 && h.end <= text.length && h.start < h.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  let at = 0;
  for (const highlight of sorted) {
    if (highlight.start < at) continue;
    if (highlight.start > at) out.push({ text: text.slice(at, highlight.start), highlight: null });
    out.push({ text: text.slice(highlight.start, highlight.end), highlight });
    at = highlight.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), highlight: null });
  return out;
}
