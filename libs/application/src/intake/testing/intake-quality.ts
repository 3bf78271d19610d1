import type { ExpectedCandidate } from '@positions/testing';
import type { Finding } from '../extract-candidates';

/** Quotes compared as a reader would: case, quote marks, apostrophes and punctuation aside. */
const plain = (text: string) => text.toLowerCase().replace(/[’']/g, "'").replace(/[^\p{L}\p{N}' ]+/gu, ' ').replace(/\s+/g, ' ').trim();

/** A found candidate is the expected one when its speaker is and its words hold the expected words (or lie within them). */
export function sameCandidate(found: Finding, text: string, expected: ExpectedCandidate): boolean {
  const speaker = found.speaker.actorId ?? found.speaker.name;
  const words = plain(text.slice(found.quoteSpan[0], found.quoteSpan[1]));
  const wanted = plain(expected.words);
  return speaker === expected.speaker && words.length > 0 && (words.includes(wanted) || wanted.includes(words));
}

export interface Score {
  found: number;
  expected: number;
  /** Found candidates that are expected ones (speaker and words right). */
  pairsRight: number;
  /** Of those, the ones with the expected statedOn too. */
  datesRight: number;
}

/** Counts for precision (right / found) and recall (right / expected) over one article. */
export function score(findings: Finding[], text: string, expected: ExpectedCandidate[]): Score {
  const unmatched = [...expected];
  let pairsRight = 0;
  let datesRight = 0;
  for (const found of findings) {
    const at = unmatched.findIndex((e) => sameCandidate(found, text, e));
    if (at < 0) continue;
    pairsRight += 1;
    if (unmatched[at].statedOn === found.statedOn) datesRight += 1;
    unmatched.splice(at, 1);
  }
  return { found: findings.length, expected: expected.length, pairsRight, datesRight };
}
