import type { LandscapeAnswer, PositionAnswer, StatementRef, TimelineAnswer, TimelineEntry } from '@positions/application';
import type { Certainty, Stance } from '@positions/domain';
import { fields, table } from '../output';

/*
 * The tables `position`, `timeline` and `landscape` print for people (`--json` prints the answers
 * themselves). Dates as the sources give them (docs/domain.md): a statement dated by a range shows
 * the days it may have been said on, and its wording; a position the sources leave open says so,
 * with the other answers they allow. Nothing here decides a position: it prints what the
 * application's queries answered.
 */

/** Another answer the sources leave open, as the queries give it (stance null: no position). */
interface AlternativeAnswer {
  stance: Stance | null;
  statementId: string | null;
}

/** What position answers carry about their certainty; absent, an answer is certain. */
interface Openness {
  certainty?: Certainty;
  alternatives?: AlternativeAnswer[];
}

/** A statement's range and wording, as statement answers give them. */
interface Dated {
  statedOn: string;
  statedOnWording?: string | null;
  earliest?: string;
  latest?: string;
}

export const stanceText = (stance: Stance | null): string => (stance ? `${stance.code} (${stance.score > 0 ? '+' : ''}${stance.score})` : '-');

/** An instant as a day when it is the start of one (the ends of a range of days), else as it is. */
const dayOrInstant = (instant: string): string => (instant.endsWith('T00:00:00.000Z') ? instant.slice(0, 10) : instant);

/** `2025-02-17 … 2025-02-23`, or null for a statement dated to a day or an instant. */
export function rangeText({ earliest, latest }: Dated): string | null {
  if (earliest === undefined || latest === undefined || earliest === latest) return null;
  return `${dayOrInstant(earliest)} … ${dayOrInstant(latest)}`;
}

/** `2025-02-17/2025-02-23 “last week” (2025-02-17 … 2025-02-21)`: the range only where it says more than statedOn. */
export function statedText(dated: Dated): string {
  const range = rangeText(dated);
  const sameAsGiven = range !== null && range.replace(' … ', '/') === dated.statedOn;
  return [dated.statedOn, dated.statedOnWording ? `“${dated.statedOnWording}”` : null, range && !sameAsGiven ? `(${range})` : null].filter(Boolean).join(' ');
}

/** `uncertain: possibly concessions-needed (+1), or no position`; `certain` when nothing else is open. */
export function certaintyText({ certainty, alternatives = [] }: Openness): string {
  if (certainty !== 'uncertain') return 'certain';
  const others = alternatives.map((a) => (a.stance ? stanceText(a.stance) : 'no position'));
  return others.length ? `uncertain: possibly ${others.join(', or ')}` : 'uncertain';
}

export function renderPosition(answer: Omit<PositionAnswer, 'statement'> & Openness & { statement: (StatementRef & Dated) | null }): string {
  const heading = `${answer.actorId} on ${answer.topicId}, at ${answer.at}, as known at ${answer.knownAt}`;
  const { statement } = answer;
  const certainty: [string, string][] = answer.certainty === 'uncertain' ? [['certainty', certaintyText(answer)]] : [];
  if (!statement) return `${heading}\n\nno known position${certainty.length ? `\n\n${fields([...certainty, ...alternativeRows(answer)])}` : ''}`;
  const source = [statement.source.title, statement.source.publisher, statement.source.publishedOn, statement.source.url].filter(Boolean).join(' · ');
  const rows: [string, string][] = [
    ['stance', `${stanceText(answer.stance)}: ${answer.stance?.label ?? ''}`],
    ...certainty,
    ['since', answer.since ?? '-'],
    ['statement', `${statement.statementId}, stated ${statedText(statement)}${statement.onBehalfOf ? ` on behalf of ${statement.onBehalfOf}` : ''}`],
    ['summary', statement.summary],
    ...(statement.quote ? [['quote', `“${statement.quote}”`] as [string, string]] : []),
    ['source', source],
    ['recorded', statement.recordedAt],
    ...alternativeRows(answer),
  ];
  return `${heading}\n\n${fields(rows)}`;
}

/** One row per other answer the sources leave open, with the statement behind it. */
function alternativeRows({ alternatives = [] }: Openness): [string, string][] {
  return alternatives.map((a, i) => [i === 0 ? 'possibly' : '', `${a.stance ? stanceText(a.stance) : 'no position'}${a.statementId ? `, statement ${a.statementId}` : ''}`]);
}

export function renderTimeline(answer: Omit<TimelineAnswer, 'entries'> & { entries: (TimelineEntry & Dated)[] }): string {
  const heading = `${answer.actorId} on ${answer.topicId}, as known at ${answer.knownAt}`;
  if (answer.entries.length === 0) return `${heading}\n\nno statements`;
  const rows = answer.entries.map((e) => [statedText(e), stanceText(e.stance), e.shift, e.direction ?? '-', e.summary]);
  return `${heading}\n\n${table(['stated on', 'stance', 'shift', 'direction', 'summary'], rows)}`;
}

export function renderLandscape(answer: Omit<LandscapeAnswer, 'positions' | 'next'> & { positions: (LandscapeAnswer['positions'][number] & Openness)[] }): string {
  const heading = `${answer.topicId}, at ${answer.at}, as known at ${answer.knownAt}`;
  if (answer.positions.length === 0) return `${heading}\n\nno known positions`;
  const rows = answer.positions.map((p) => [p.actorId, stanceText(p.stance), certaintyText(p), p.since, p.statementId]);
  return `${heading}\n\n${table(['actor', 'stance', 'certainty', 'since', 'statement'], rows)}`;
}
