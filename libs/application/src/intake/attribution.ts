import type { Span } from '@positions/domain';
import type { ActorMatcher } from './actor-matcher';

/** Whom a sentence attributes words to; `actorId` null where no registered actor matches. */
export interface Attribution {
  actorId: string | null;
  name: string;
  span: Span;
  kind: 'person' | 'organization' | 'unknown';
}

/** A speech verb and the speaker it has in its sentence; `inverted` when the speaker follows the verb ("…, said Lavrov"). */
export interface Speech {
  verb: Span;
  speaker: Attribution;
  inverted: boolean;
}

const SPEECH_VERB =
  /\b(?:said|says|say|told|tells|noted|indicated|stated|warned|warns|added|adds|argued|argues|insisted|insists|suggested|suggests|stressed|declared|announced|explained|remarked|wrote|tweeted|replied|responded|acknowledged|admitted|conceded|urged|asserted|maintained|emphasi[sz]ed|predicted|vowed|pledged|promised|cautioned|observed|commented|signall?ed|reiterated|repeated|affirmed|confirmed|denied|[Aa]ccording to)\b/g;

/** How far from its verb a subject is looked for, in characters. */
const LOOK_BACK = 160;

/** Words between a subject and its verb ("Moscow has often noted"), skipped when looking for the subject. */
const FILLERS = new Set(['has', 'have', 'had', 'also', 'later', 'then', 'again', 'once', 'often', 'already', 'however', 'earlier', 'would', 'will', 'was', 'is', 'previously', 'recently', 'repeatedly', 'reportedly', 'publicly', 'separately', 'further']);
/** Words of titles and roles: kept out of a person's name, and remembered to resolve "the minister" later. */
const TITLE_WORDS = new Set(
  ('us u.s. eu uk un nato russian ukrainian german french british chinese american european hungarian polish italian finnish kremlin white house ' +
    'secretary state of the foreign policy defense defence finance trade economy prime deputy vice minister president commissioner chancellor senator ' +
    'sen. rep. ambassador spokesperson spokesman spokeswoman envoy premier governor chief commission high representative treasury mr. mrs. ms. dr. ' +
    'press for affairs special general national security adviser advisor').split(' '),
);
/** Lowercase title words that may sit inside a name's run: "Kremlin spokesman Dmitry Peskov", "foreign policy chief Kaja Kallas". */
const TITLE_LOWER = '(?:spokes(?:man|woman|person)|chief|minister|secretary|policy|foreign|president|commissioner|envoy|ambassador|general|adviser|advisor)';
const CAP = "\\p{Lu}[\\p{L}’'.-]*";
const RUN = `${CAP}(?:\\s+(?:(?:of|for|the|von|van|de|der|al)\\s+)?(?:${CAP}|${TITLE_LOWER}(?=\\s+(?:${TITLE_LOWER}\\s+)*\\p{Lu})))*`;
const RUN_AT_END = new RegExp(`(${RUN})$`, 'u');
const RUN_AT_START = new RegExp(`^\\s+(${RUN})`, 'u');
const RUNS = new RegExp(RUN, 'gu');
/** "Kaja Kallas, the EU’s top diplomat, (also) replied": the name before a title set off by commas. */
const APPOSITIVE_AT_END = new RegExp(`(${RUN})\\s*,\\s+(?:the|a|an|${CAP}[’']s)\\s[^,;"]{1,80},(?:\\s+(?:\\p{L}+ly|also|has|have|had|later|then|again|however))*\\s*$`, 'u');
const ROLE = '(?:(?:foreign |prime |deputy |finance |defen[cs]e )?(?:minister|president|commissioner|secretary|chancellor|senator|ambassador|spokesperson|spokesman|spokeswoman|envoy|premier|governor|official|diplomat|leader))';
const ROLE_AT_END = new RegExp(`(?:^|\\s)(?:[Tt]he\\s+)?(${ROLE})$`, 'i');
const ROLE_AT_START = new RegExp(`^\\s+(?:the\\s+)(${ROLE})\\b`, 'i');
const GROUP_AT_END = /(?:^|\s)([Tt]he (?:bloc|union|alliance|government|administration|ministry|commission|Kremlin))$/;
/** Last words that make an unregistered name an organization: "the State Department". */
const ORGANIZATION_WORDS = /\b(?:Department|Ministry|Commission|Office|Council|Parliament|Bank|Treasury|Party|Agency|Service|House|Government|Embassy|Kremlin|Pentagon)$/;

/**
 * Who said what, as a reader follows an article: names, titles and roles, pronouns for the last
 * person named, "the bloc" for the last organization named. Fed one sentence at a time, in order.
 */
export class Attributor {
  private lastPerson: Attribution | null = null;
  private lastGroup: Attribution | null = null;
  private readonly byRole = new Map<string, Attribution>();
  private readonly byFamilyName = new Map<string, Attribution>();

  constructor(private readonly actors: ActorMatcher) {}

  /** The speech verbs of a sentence (found in `outside`, its text without quotes) and their speakers. */
  speeches(outside: string, offset: number): Speech[] {
    const speeches: Speech[] = [];
    for (const match of outside.matchAll(SPEECH_VERB)) {
      const at = match.index ?? 0;
      const verb: Span = [offset + at, offset + at + match[0].length];
      const before = match[0].toLowerCase() === 'according to' ? null : this.subjectBefore(outside, at, offset);
      const speaker = before ?? this.subjectAfter(outside, at + match[0].length, offset);
      if (speaker) speeches.push({ verb, speaker, inverted: before === null });
    }
    return speeches;
  }

  /** Remembers the people and organizations a sentence names (keys of those), for the pronouns and roles of the next ones. */
  remember(outside: string, offset: number, speakers: Attribution[]): Set<string> {
    const named = new Set<string>();
    for (const run of outside.matchAll(RUNS)) {
      const found = this.named(run[0], offset + (run.index ?? 0));
      if (!found || (found.actorId === null && found.kind !== 'person')) continue;
      this.note(found, run[0]);
      named.add(keyOf(found));
    }
    for (const speaker of speakers) {
      this.note(speaker, speaker.name);
      named.add(keyOf(speaker));
    }
    return named;
  }

  private note(who: Attribution, phrase: string): void {
    if (who.kind === 'organization') {
      this.lastGroup = who;
      return;
    }
    if (who.kind !== 'person') return;
    this.lastPerson = who;
    for (const word of phrase.toLowerCase().split(/\s+/)) if (TITLE_WORDS.has(word)) this.byRole.set(word, who);
    this.byFamilyName.set(who.name.split(/\s+/).at(-1)?.toLowerCase() ?? '', who);
  }

  private subjectBefore(outside: string, verbAt: number, offset: number): Attribution | null {
    const from = Math.max(0, verbAt - LOOK_BACK);
    const appositive = APPOSITIVE_AT_END.exec(outside.slice(from, verbAt));
    if (appositive) return this.named(appositive[1], offset + from + appositive.index);
    const words = [...outside.slice(from, verbAt).matchAll(/[\p{L}’'.-]+|[^\s\p{L}]/gu)];
    const skippable = (w: string) => FILLERS.has(w.toLowerCase()) || /ly$/.test(w) || w === ',';
    while (words.length > 0 && skippable(words[words.length - 1][0])) words.pop();
    const last = words.at(-1);
    if (!last) return null;
    return this.phraseEndingAt(outside, from + (last.index ?? 0) + last[0].length, offset);
  }

  private subjectAfter(outside: string, from: number, offset: number): Attribution | null {
    const rest = outside.slice(from, from + LOOK_BACK);
    const role = ROLE_AT_START.exec(rest);
    if (role) return this.role(role[1], offset + from + role[0].length - role[1].length, offset + from + role[0].length);
    const run = RUN_AT_START.exec(rest);
    if (!run) return null;
    return this.named(run[1], offset + from + run[0].length - run[1].length);
  }

  /** The subject phrase that ends at `end`: a pronoun, a role, a group noun, or a run of capitalized words. */
  private phraseEndingAt(outside: string, end: number, offset: number): Attribution | null {
    // A subject is a few words long: looking further back only costs time on a long sentence.
    const from = Math.max(0, end - LOOK_BACK);
    return this.phraseEnding(outside.slice(from, end), offset + from);
  }

  private phraseEnding(before: string, offset: number): Attribution | null {
    const end = before.length;
    const pronoun = /(?:^|[^\p{L}])([Hh]e|[Ss]he)$/u.exec(before);
    if (pronoun) return this.lastPerson && { ...this.lastPerson, span: [offset + end - pronoun[1].length, offset + end] };
    const role = ROLE_AT_END.exec(before);
    if (role) return this.role(role[1], offset + end - role[1].length, offset + end);
    const group = GROUP_AT_END.exec(before);
    if (group) {
      const span: Span = [offset + end - group[1].length, offset + end];
      return this.named(group[1], span[0]) ?? (this.lastGroup && { ...this.lastGroup, span });
    }
    const run = RUN_AT_END.exec(before);
    return run ? this.named(run[1], offset + end - run[1].length) : null;
  }

  private role(role: string, start: number, end: number): Attribution {
    const known = this.byRole.get(role.toLowerCase().split(' ').at(-1) ?? '');
    return known ? { ...known, span: [start, end] } : { actorId: null, name: `the ${role}`, span: [start, end], kind: 'unknown' };
  }

  /** A capitalized phrase as a speaker: a registered actor where one matches, else the name without its titles. */
  named(run: string, start: number): Attribution | null {
    // A sentence's full stop is not part of a name; an initial's is ("John F.").
    const phrase = /(?:^|\s)\p{Lu}\.$/u.test(run) ? run : run.replace(/\.+$/, '');
    const actor = this.actors.match(phrase);
    const span: Span = [start, start + phrase.length];
    if (actor && actor.kind !== 'person') return { actorId: actor.id, name: phrase, span, kind: 'organization' };
    const words = phrase.split(/\s+/);
    let first = words.length;
    while (first > 0 && !TITLE_WORDS.has(words[first - 1].toLowerCase())) first--;
    const name = words.slice(first).join(' ');
    const nameSpan: Span = [span[1] - name.length, span[1]];
    if (actor) return { actorId: actor.id, name: name || phrase, span: name ? nameSpan : span, kind: 'person' };
    if (ORGANIZATION_WORDS.test(phrase)) return { actorId: null, name: phrase.replace(/^[Tt]he /, ''), span, kind: 'organization' };
    if (!name || !/^\p{Lu}/u.test(name)) return null;
    const known = words.length - first === 1 ? this.byFamilyName.get(name.toLowerCase()) : undefined;
    if (known) return { ...known, span: nameSpan };
    // An unregistered name: two words or more, or a title before it, make it a person.
    return { actorId: null, name, span: nameSpan, kind: words.length - first >= 2 || first > 0 ? 'person' : 'unknown' };
  }
}

export const keyOf = (who: Attribution): string => who.actorId ?? `name:${who.name}`;
