import {
  type ActorEvent,
  classifyShift,
  type DomainEvent,
  foldInto,
  parseStream,
  type PositionAnswer,
  positionOf,
  type PositionEvent,
  type Recorded,
  type Spokesperson,
  type Stance,
  type StatementState,
  type TopicEvent,
  toDomainEvent,
  voiceAt,
  type VoiceStatement,
} from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { PositionChanged, VoiceChanged, WatchMessage } from './watch-messages';

interface PositionStream {
  actorId: string;
  topicId: string;
  /** Its statements as folded so far (one event at a time: never the whole stream again). */
  statements: Map<string, StatementState>;
  current: PositionAnswer;
}

interface Membership extends Spokesperson {
  role: string;
}

const NO_POSITION: PositionAnswer = { stance: null, since: null, statement: null, certainty: 'certain', alternatives: [] };

/** The certainty of a position answer: the one place a position-changed message's `certainty` is taken from. */
export function positionCertainty(answer: PositionAnswer): 'certain' | 'uncertain' {
  return answer.certainty;
}

/**
 * Turns the log, read in order from its start, into watch messages. Deterministic: the same log
 * gives the same messages, so a client resuming after a position gets them re-derived exactly.
 * "Now" for each event is its own `recordedAt`: a statement cannot be dated in the future, so
 * the position as of the event's recording is the current one once it is in the log.
 */
export class MessageDeriver {
  private readonly stances = new Map<string, Map<string, Stance>>();
  private readonly streams = new Map<string, PositionStream>();
  private readonly members = new Map<string, Membership[]>();
  private readonly divergent = new Map<string, boolean>();
  private readonly topicsOf = new Map<string, Set<string>>();
  /** Position of the last event applied. */
  position = 0;

  apply(stored: StoredEvent): WatchMessage[] {
    this.position = stored.position;
    const ref = parseStream(stored.streamId);
    const event = ref && domainEvent(stored);
    if (!ref || !event) return [];
    if (ref.kind === 'topic') this.applyTopic(ref.topicId, event as TopicEvent);
    if (ref.kind === 'actor') return this.applyActor(ref.actorId, event as ActorEvent, stored);
    if (ref.kind === 'position') return this.applyPosition(ref.actorId, ref.topicId, event as PositionEvent, stored);
    return [];
  }

  private applyTopic(topicId: string, event: TopicEvent): void {
    const codebook = this.stances.get(topicId) ?? new Map<string, Stance>();
    this.stances.set(topicId, codebook);
    const added = event.type === 'TopicOpened' ? event.data.stances : [event.data];
    for (const stance of added) codebook.set(stance.code, { code: stance.code, label: stance.label, score: stance.score });
  }

  private applyActor(actorId: string, event: ActorEvent, stored: StoredEvent): WatchMessage[] {
    if (event.type !== 'AffiliationBegan' && event.type !== 'AffiliationEnded') return [];
    const orgId = event.data.organizationId;
    const list = this.members.get(orgId) ?? [];
    this.members.set(orgId, list);
    if (event.type === 'AffiliationBegan') {
      const { role, from, until, speaksFor } = event.data;
      list.push({ actorId, role, from, until: until ?? null, speaksFor });
    } else {
      const open = list.filter((m) => m.actorId === actorId && m.role === event.data.role && m.until === null).at(-1);
      if (open) open.until = event.data.until;
    }
    const topics = new Set(list.flatMap((m) => [...(this.topicsOf.get(m.actorId) ?? [])]));
    return [...topics].sort().flatMap((topicId) => this.voiceMessage(orgId, topicId, stored));
  }

  private applyPosition(actorId: string, topicId: string, event: PositionEvent, stored: StoredEvent): WatchMessage[] {
    const key = `${actorId}.${topicId}`;
    const stream = this.streams.get(key) ?? { actorId, topicId, statements: new Map<string, StatementState>(), current: NO_POSITION };
    this.streams.set(key, stream);
    const topics = this.topicsOf.get(actorId) ?? new Set<string>();
    this.topicsOf.set(actorId, topics.add(topicId));
    foldInto(stream.statements, { ...event, position: stored.position, recordedAt: stored.recordedAt } as Recorded<PositionEvent>);
    const before = stream.current;
    stream.current = positionOf(stream.statements.values(), Date.parse(stored.recordedAt));
    const messages: WatchMessage[] = [];
    if (event.type !== 'PositionStated') {
      const type = event.type === 'StatementCorrected' ? 'statement-corrected' : 'statement-retracted';
      messages.push({ position: stored.position, type, data: { statementId: event.data.statementId, actorId, topicId, reason: event.data.reason } });
    }
    if (before.stance !== stream.current.stance) messages.push({ position: stored.position, type: 'position-changed', data: this.changed(stream, before) });
    const orgs = [...this.members.keys()].filter((orgId) => this.members.get(orgId)!.some((m) => m.actorId === actorId && m.speaksFor)).sort();
    return [...messages, ...orgs.flatMap((orgId) => this.voiceMessage(orgId, topicId, stored))];
  }

  private changed(stream: PositionStream, before: PositionAnswer): PositionChanged {
    const after = stream.current;
    const beforeStance = this.stanceOf(stream.topicId, before.stance);
    const afterStance = this.stanceOf(stream.topicId, after.stance);
    const shift = afterStance ? classifyShift(beforeStance?.score ?? null, afterStance.score) : { shift: null, direction: null };
    return {
      actorId: stream.actorId,
      topicId: stream.topicId,
      before: beforeStance,
      after: afterStance,
      ...shift,
      statementId: after.statement?.statementId ?? null,
      certainty: positionCertainty(after),
    };
  }

  /** A voice message when the organization's spokespeople start or stop diverging on the topic. */
  private voiceMessage(orgId: string, topicId: string, stored: StoredEvent): WatchMessage[] {
    const members = this.members.get(orgId) ?? [];
    const speakers = [...new Set(members.filter((m) => m.speaksFor).map((m) => m.actorId))];
    const statements = speakers.flatMap((actorId) => this.statementsOf(actorId, topicId));
    const voice = voiceAt(orgId, statements, members, stored.recordedAt, (code) => this.stanceOf(topicId, code)?.score ?? 0);
    const key = `${orgId}.${topicId}`;
    if ((this.divergent.get(key) ?? false) === voice.divergent) return [];
    this.divergent.set(key, voice.divergent);
    const data: VoiceChanged = { orgId, topicId, voices: voice.voices.map((v) => ({ actorId: v.actorId, stance: this.stanceOf(topicId, v.stance), statementId: v.statementId })) };
    return [{ position: stored.position, type: voice.divergent ? 'voice-diverged' : 'voice-converged', data }];
  }

  private statementsOf(actorId: string, topicId: string): VoiceStatement[] {
    const stream = this.streams.get(`${actorId}.${topicId}`);
    if (!stream) return [];
    return [...stream.statements.values()]
      .filter((s) => !s.retracted)
      .map((s: StatementState) => ({
        statementId: s.statementId,
        actorId,
        stance: s.stance,
        statedOn: s.statedOn,
        earliest: Date.parse(s.earliest),
        latest: Date.parse(s.latest),
        statedPosition: s.statedPosition,
        onBehalfOf: s.onBehalfOf,
      }));
  }

  private stanceOf(topicId: string, code: string | null): Stance | null {
    if (code === null) return null;
    return this.stances.get(topicId)?.get(code) ?? { code, label: code, score: 0 };
  }
}

/** The domain event, or null for an event this code does not know (a type added later, or not the domain's). */
function domainEvent(stored: StoredEvent): DomainEvent | null {
  try {
    return toDomainEvent(stored);
  } catch {
    return null;
  }
}
