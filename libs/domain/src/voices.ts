import { type Alternative, answerAt, type Certainty, type DatedStatement } from './answer-at';
import { endInstant, startInstant } from './valid-time';

/** A statement as voices need it: who said it, for whom, what, when (its range, epoch ms), and its place in the log. */
export interface VoiceStatement extends DatedStatement {
  actorId: string;
  statedOn: string;
  onBehalfOf?: string;
}

/** A member's affiliation with the organization (dates inclusive; `until` null while open). */
export interface Spokesperson {
  actorId: string;
  from: string;
  until: string | null;
  speaksFor: boolean;
}

export interface Voice {
  /** The statement that decides the organization's position, or null: no known position. */
  winner: VoiceStatement | null;
  since: string | null;
  certainty: Certainty;
  alternatives: Alternative[];
  /** Every current spokesperson with a known position, by actor id. */
  voices: VoiceStatement[];
  /** Two current spokespeople differ in score by 2 or more. */
  divergent: boolean;
}

const covers = (m: Spokesperson, instant: number) => instant >= startInstant(m.from) && (m.until === null || instant <= endInstant(m.until));

/**
 * Whether a statement speaks for the organization: its own, one made explicitly on its
 * behalf, or one by a person whose `speaksFor` affiliation covers the whole range it was stated in.
 */
export function speaksFor(organizationId: string, statement: VoiceStatement, members: readonly Spokesperson[]): boolean {
  if (statement.actorId === organizationId || statement.onBehalfOf === organizationId) return true;
  return members.some((m) => m.actorId === statement.actorId && m.speaksFor && covers(m, statement.earliest) && covers(m, statement.latest));
}

/**
 * `voiceAt` (docs/domain.md, "Voices") over statements already known at `knownAt` and not retracted:
 * `positionAt`'s rules applied to everything said for the organization, plus each current
 * spokesperson's own position and whether they diverge.
 */
export function voiceAt(organizationId: string, statements: readonly VoiceStatement[], members: readonly Spokesperson[], at: string, scoreOf: (stance: string) => number): Voice {
  const atMs = endInstant(at, 'at');
  const said = statements.filter((s) => speaksFor(organizationId, s, members));
  const { winner, runStart, certainty, alternatives } = answerAt(said, atMs, scoreOf);
  const current = [...new Set(members.filter((m) => m.speaksFor && covers(m, atMs)).map((m) => m.actorId))].sort();
  const voices = current.flatMap((actorId) => answerAt(said.filter((s) => s.actorId === actorId), atMs).winner ?? []);
  const scores = voices.map((v) => scoreOf(v.stance));
  const divergent = scores.length > 1 && Math.max(...scores) - Math.min(...scores) >= 2;
  return { winner, since: runStart?.statedOn ?? null, certainty, alternatives, voices, divergent };
}
