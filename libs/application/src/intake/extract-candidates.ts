import type { CandidateSpeaker, IntakeCandidate, Span } from '@positions/domain';
import { ActorMatcher, type RegisteredActor } from './actor-matcher';
import { splitSentences, type Quote, type Sentence } from './article-structure';
import { type Attribution, Attributor, keyOf, type Speech } from './attribution';
import { type DateWording, findDateWordings } from './date-wording';
import { StanceSuggester, type TopicRecord } from './stance-suggester';

/** A candidate before its topic and stance are suggested; `sentence` is the text they are suggested from. */
export type Finding = Omit<IntakeCandidate, 'topicId' | 'stance' | 'stanceConfidence' | 'cues'> & { sentence: string };

/** Quotes of this many words or fewer, with no speaker in their sentence, are taken as scare quotes, not as someone's words. */
const SCARE_QUOTE_WORDS = 3;

type Found = { speaker: Attribution | null; quote: string | null; span: Span };

/** The last date a paragraph gave, and who its sentence named: later words of theirs in the paragraph share it. */
type DateContext = { paragraph: number; date: DateWording; who: Set<string> };

/**
 * The statements an article seems to report, in reading order: each direct quote with its speaker
 * and date, and each piece of reported speech ("X said last week that …") without a quote.
 * Pure: the registry and the publication day are given.
 */
export function findStatements(text: string, publishedOn: string, actors: readonly RegisteredActor[]): Finding[] {
  const attributor = new Attributor(new ActorMatcher(actors));
  const findings: Finding[] = [];
  let context: DateContext | null = null;
  let last: { paragraph: number; speaker: Attribution | null } | null = null;
  for (const sentence of splitSentences(text)) {
    const speeches = attributor.speeches(sentence.outside, sentence.span[0]);
    const dates = findDateWordings(sentence.outside, publishedOn, sentence.span[0]);
    const carried: Attribution | null = last?.paragraph === sentence.paragraph ? last.speaker : null;
    const found: Found[] = sentence.quotes.length > 0 ? quoteFindings(sentence, speeches, carried) : reportedFindings(sentence, speeches);
    const inParagraph = context?.paragraph === sentence.paragraph ? context : null;
    for (const { speaker, quote, span } of found) {
      const date = nearest(dates, span) ?? (inParagraph && speaker && inParagraph.who.has(keyOf(speaker)) ? inParagraph.date : null);
      findings.push({
        candidateId: `c${findings.length + 1}`,
        quote,
        quoteSpan: span,
        speaker: toSpeaker(speaker),
        statedOn: date?.statedOn ?? publishedOn,
        statedOnWording: date?.wording ?? null,
        sentence: sentence.text,
      });
      last = { paragraph: sentence.paragraph, speaker };
    }
    const named = attributor.remember(sentence.outside, sentence.span[0], speeches.map((s) => s.speaker));
    if (dates.length > 0) context = { paragraph: sentence.paragraph, date: dates[dates.length - 1], who: named };
    else if (inParagraph) found.forEach(({ speaker }) => speaker && inParagraph.who.has(keyOf(speaker)) && named.forEach((k) => inParagraph.who.add(k)));
  }
  return findings;
}

/** What reading an article needs: its text and day, and the record's actors and topics (plain data, so it can cross to a worker). */
export interface ArticleReading {
  text: string;
  publishedOn: string;
  actors: readonly RegisteredActor[];
  topics: readonly TopicRecord[];
  topicId?: string;
}

/** The draft's candidates: the statements found, each with the topic and stance suggested from its sentence. */
export function suggestCandidates({ text, publishedOn, actors, topics, topicId }: ArticleReading): IntakeCandidate[] {
  const suggester = new StanceSuggester(topics);
  return findStatements(text, publishedOn, actors).map(({ sentence, ...finding }) => ({ ...finding, ...suggester.suggest(sentence, topicId) }));
}

/** Each quote of the sentence, said by the nearest speech verb's speaker; a quote standing alone continues the last speaker's words. */
function quoteFindings(sentence: Sentence, speeches: Speech[], carried: Attribution | null): Found[] {
  const alone = sentence.outside.replace(/["\sx.,]/g, '').length < 3;
  return sentence.quotes.flatMap((quote) => {
    const speaker = nearestSpeech(speeches, quote)?.speaker ?? (alone ? carried : null);
    if (!speaker && wordCount(quote.text) <= SCARE_QUOTE_WORDS) return [];
    return [{ speaker, quote: quote.text, span: quote.span }];
  });
}

/** Reported speech: "X said (last week) that …", "…, said X", "According to X, …", "…, according to X". */
function reportedFindings(sentence: Sentence, speeches: Speech[]): Found[] {
  const base = sentence.span[0];
  const end = base + sentence.text.replace(/[.!?…"”’\s]+$/u, '').length;
  return speeches.flatMap(({ verb, speaker, inverted }) => {
    let span: Span | null = null;
    if (inverted && /,\s*$/.test(sentence.text.slice(0, verb[0] - base))) {
      // "…, said X" and "…, according to X": the words before the comma.
      span = [base, base + sentence.text.slice(0, verb[0] - base).replace(/,\s*$/, '').length];
    } else if (inverted && verb[0] === base) {
      // "According to X, …": the words after X and its comma.
      const comma = sentence.text.indexOf(',', speaker.span[1] - base);
      if (comma >= 0) span = [base + comma + 1 + (sentence.text.slice(comma + 1).length - sentence.text.slice(comma + 1).trimStart().length), end];
    } else {
      const clause = reportedClauseStart(sentence.text.slice(verb[0] - base));
      if (clause !== null) span = [verb[0] + clause, end];
    }
    return span && span[1] - span[0] > 10 ? [{ speaker, quote: null, span }] : [];
  });
}

/** Verbs whose object is a person or an act, not what was said ("told reporters", "urged the EU to …"). */
const NOT_BEFORE_A_CLAUSE = /^(?:told|tells|urged|vowed|pledged|promised|denied|according to)$/i;
/** When, between a verb and its clause: "on Tuesday", "last week", "earlier this week", "yesterday", "in January". */
const WHEN = '(?:(?:on|last|this|next|earlier|later)\\s+(?:this\\s+)?\\p{L}+|yesterday|today|in\\s+(?:\\p{Lu}\\p{Ll}+|\\d{4}))';
/** How a reported clause opens after its verb: "that …", or, without "that", its subject (a pronoun, a determiner, a name). */
const CLAUSE_WITH_THAT = /^[^.,;]{0,40}?\bthat\s+/i;
const CLAUSE_WITHOUT_THAT = new RegExp(
  `^(?:\\s+${WHEN}){0,2},?\\s+(?=(?:the|a|an|his|her|its|their|our|my|your|it|they|there|he|she|we|I|this|these|those|no|any|every|some|\\p{Lu}[\\p{L}’'-]*)\\s)`,
  'u',
);

/** Where the clause a speech verb reports begins, counted from the verb's start; null when none follows. */
function reportedClauseStart(fromVerb: string): number | null {
  const verb = /^(?:according to|\p{L}+)/iu.exec(fromVerb)?.[0] ?? '';
  const after = fromVerb.slice(verb.length);
  const clause = CLAUSE_WITH_THAT.exec(after) ?? (NOT_BEFORE_A_CLAUSE.test(verb) ? null : CLAUSE_WITHOUT_THAT.exec(after));
  return clause ? verb.length + clause[0].length : null;
}

function nearestSpeech(speeches: Speech[], quote: Quote): Speech | undefined {
  const distance = (s: Speech) => Math.min(Math.abs(s.verb[0] - quote.span[1]), Math.abs(quote.span[0] - s.verb[1]));
  return [...speeches].sort((a, b) => distance(a) - distance(b))[0];
}

function nearest(dates: DateWording[], span: Span): DateWording | null {
  const distance = (d: DateWording) => Math.min(Math.abs(d.span[0] - span[1]), Math.abs(span[0] - d.span[1]));
  return [...dates].sort((a, b) => distance(a) - distance(b))[0] ?? null;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
const toSpeaker = (a: Attribution | null): CandidateSpeaker => (a ? { actorId: a.actorId, name: a.name, span: a.span } : { actorId: null, name: null, span: null });
