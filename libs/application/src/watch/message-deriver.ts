import {
  type ActorEvent,
  classifyShift,
  type DomainEvent,
  parseStream,
  positionStream,
  type PositionEvent,
  type Spokesperson,
  type Stance,
  type TopicEvent,
  toDomainEvent,
  voiceAt,
} from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import { type CurrentPosition, currentOf, foldSlim, fromRow, NO_POSITION, type SlimRow, type SlimStatements, toRow, voiceStatements } from './slim-statements';
import type { PositionChanged, VoiceChanged, WatchMessage } from './watch-messages';

interface PositionStream {
  actorId: string;
  topicId: string;
  /** Its statements as folded so far (one event at a time: never the whole stream again), without their texts. */
  statements: SlimStatements;
  current: CurrentPosition;
}

interface Membership extends Spokesperson {
  role: string;
}

/**
 * One piece of the deriver's state as a checkpoint keeps it: a position stream, an
 * organization's members, a topic's stances or whether an organization's voices diverge on a topic.
 */
export type StatePart =
  | { kind: 'stream'; key: string; data: { actorId: string; topicId: string; current: CurrentPosition; statements: SlimRow[] } }
  | { kind: 'members'; key: string; data: Membership[] }
  | { kind: 'stances'; key: string; data: Stance[] }
  | { kind: 'divergent'; key: string; data: boolean };

/** Names a part of the deriver's state. */
export type PartKey = Pick<StatePart, 'kind' | 'key'>;

/** A position stream as a checkpoint keeps it. */
export type StreamData = Extract<StatePart, { kind: 'stream' }>['data'];

/**
 * Where a deriver reads back a position stream it no longer holds in memory: the checkpoint,
 * which holds every stream as it stood at the last save (null: a stream not seen yet).
 */
export type StreamSource = (key: string) => StreamData | null;

/** The certainty of a current position: the one place a position-changed message's `certainty` is taken from. */
export function positionCertainty(current: CurrentPosition): 'certain' | 'uncertain' {
  return current.certainty;
}

/**
 * Turns the log, read in order from its start, into watch messages. Deterministic: the same log
 * gives the same messages, so a client resuming after a position gets them re-derived exactly.
 * "Now" for each event is its own `recordedAt`: a statement cannot be dated in the future, so
 * the position as of the event's recording is the current one once it is in the log.
 * Its state can be taken out in parts (what changed since the last time) and put back, so a
 * restarted service goes on from a checkpoint instead of the start of the log.
 */
export class MessageDeriver {
  private readonly stances = new Map<string, Map<string, Stance>>();
  private readonly streams = new Map<string, PositionStream>();
  private readonly members = new Map<string, Membership[]>();
  private readonly divergent = new Map<string, boolean>();
  /** The topics each actor has a position stream on (arrays: a Set each would outweigh 10,000 actors' few topics). */
  private readonly topicsOf = new Map<string, string[]>();
  /** One string per actor and topic id, shared by all their streams. */
  private readonly ids = new Map<string, string>();
  /** What changed since `takeChangedKeys` (or `takeChanges`) last ran, by kind and key. */
  private readonly changed = new Map<StatePart['kind'], Set<string>>([...(['stream', 'members', 'stances', 'divergent'] as const)].map((kind) => [kind, new Set<string>()]));
  /** Where streams dropped by `forgetSaved` are read back from; none: every stream stays in memory. */
  private source: StreamSource | null = null;
  /** Position of the last event applied. */
  position = 0;

  /** The position streams held in memory now (the others are in the `readFrom` source). */
  get streamsInMemory(): number {
    return this.streams.size;
  }

  /** Streams changed since the last `takeChangedKeys`: they stay in memory until saved. */
  get unsavedStreams(): number {
    return this.changed.get('stream')!.size;
  }

  /**
   * From now on, a position stream not in memory is read from `source`, which must hold every
   * stream this deriver applied as of its last save (a checkpoint restored or saved by it).
   * `forgetSaved` may then drop streams from memory.
   */
  readFrom(source: StreamSource): void {
    this.source = source;
  }

  /**
   * Keeps in memory only the `keep` position streams used last, with every stream changed since
   * the last `takeChangedKeys`: the others are as `readFrom`'s source holds them. Call it once a
   * save of what `takeChangedKeys` gave has succeeded. Without a source, keeps everything.
   * At 1,000,000 statements the whole state was ~340 MiB of the service's heap, which every full
   * garbage collection marked. Answers how many streams it dropped.
   */
  forgetSaved(keep: number): number {
    if (!this.source) return 0;
    const unsaved = this.changed.get('stream')!;
    let dropped = 0;
    // A Map iterates in insertion order, and `stream` puts a stream used back at the end: the least recently used come first.
    for (const key of this.streams.keys()) {
      if (this.streams.size <= keep) break;
      if (unsaved.has(key)) continue;
      this.streams.delete(key);
      dropped++;
    }
    return dropped;
  }

  /**
   * Puts back what a checkpoint's stream `key` tells without its statements: which topics its
   * actor has positions on. The stream itself is read from the source when an event needs it.
   */
  restoreKey(key: string, position: number): void {
    this.position = position;
    const ref = parseStream(key);
    if (ref?.kind === 'position') this.addTopic({ actorId: this.id(ref.actorId), topicId: this.id(ref.topicId) });
  }

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

  /**
   * Which parts changed since the last call (all of them the first time), each once: only their
   * names, which cost nothing to take. `part` makes each one, as it stands when asked, so a save
   * builds them a page at a time (after an import, all of them at once held the service's event
   * loop for up to 0.5 s for 170,000 parts).
   */
  takeChangedKeys(): PartKey[] {
    const keys: PartKey[] = [];
    for (const [kind, changed] of this.changed) {
      for (const key of changed) keys.push({ kind, key });
      changed.clear();
    }
    return keys;
  }

  /** The parts changed since the last call (all of them the first time), each once. */
  takeChanges(): StatePart[] {
    return this.takeChangedKeys().map((key) => this.part(key));
  }

  /** Marks parts taken out by `takeChangedKeys` or `takeChanges` as changed again (their save failed). */
  retake(parts: readonly PartKey[]): void {
    for (const part of parts) this.touch(part.kind, part.key);
  }

  /** Puts back a part taken out by `takeChanges` of a deriver that had applied the log through `position`. */
  restore(part: StatePart, position: number): void {
    this.position = position;
    if (part.kind === 'stances') this.stances.set(part.key, new Map(part.data.map((s) => [s.code, s])));
    if (part.kind === 'members') this.members.set(part.key, part.data);
    if (part.kind === 'divergent') this.divergent.set(part.key, part.data);
    if (part.kind === 'stream') {
      const stream = this.fromData(part.data);
      this.streams.set(part.key, stream);
      this.addTopic(stream);
    }
  }

  private fromData({ actorId, topicId, current, statements }: StreamData): PositionStream {
    const intern = this.intern(topicId);
    return { actorId: this.id(actorId), topicId: this.id(topicId), current, statements: statements.map((row) => fromRow(row, intern)) };
  }

  /**
   * The position stream `key` of `actorId` on `topicId`: from memory, else from the source (kept
   * in memory from then on), else undefined. Marks it used last. The source is not asked for a
   * stream never seen (`topicsOf` knows every one): the statements of an import into a new
   * record would each have cost a read for nothing.
   */
  private stream(key: string, actorId: string, topicId: string): PositionStream | undefined {
    const held = this.streams.get(key);
    if (held && this.source) {
      this.streams.delete(key);
      this.streams.set(key, held);
    }
    if (held || !this.source || !this.topicsOf.get(actorId)?.includes(topicId)) return held;
    const data = this.source(key);
    if (!data) return undefined;
    const stream = this.fromData(data);
    this.streams.set(key, stream);
    return stream;
  }

  /** The part `kind`/`key` as it stands now. */
  part({ kind, key }: PartKey): StatePart {
    if (kind === 'stances') return { kind, key, data: [...(this.stances.get(key)?.values() ?? [])] };
    if (kind === 'members') return { kind, key, data: this.members.get(key) ?? [] };
    if (kind === 'divergent') return { kind, key, data: this.divergent.get(key) ?? false };
    // Changed since the last save, so in memory: found by its key alone.
    const { actorId, topicId, current, statements } = this.streams.get(key)!;
    return { kind, key, data: { actorId, topicId, current, statements: statements.map(toRow) } };
  }

  private touch(kind: StatePart['kind'], key: string): void {
    this.changed.get(kind)!.add(key);
  }

  private applyTopic(topicId: string, event: TopicEvent): void {
    const codebook = this.stances.get(topicId) ?? new Map<string, Stance>();
    this.stances.set(topicId, codebook);
    const added = event.type === 'TopicOpened' ? event.data.stances : [event.data];
    for (const stance of added) codebook.set(stance.code, { code: stance.code, label: stance.label, score: stance.score });
    this.touch('stances', topicId);
  }

  private applyActor(actorId: string, event: ActorEvent, stored: StoredEvent): WatchMessage[] {
    if (event.type !== 'AffiliationBegan' && event.type !== 'AffiliationEnded') return [];
    const orgId = event.data.organizationId;
    const list = this.members.get(orgId) ?? [];
    this.members.set(orgId, list);
    this.touch('members', orgId);
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
    // The stream's id is one flat string already: a key built of its parts would hold three.
    const key = stored.streamId;
    let stream = this.stream(key, actorId, topicId);
    if (!stream) {
      stream = { actorId: this.id(actorId), topicId: this.id(topicId), statements: [], current: NO_POSITION };
      this.streams.set(key, stream);
    }
    this.touch('stream', key);
    this.addTopic(stream);
    stream.statements = foldSlim(stream.statements, event, stored.position, stored.recordedAt, this.intern(topicId));
    const before = stream.current;
    stream.current = currentOf(stream.statements, Date.parse(stored.recordedAt));
    const messages: WatchMessage[] = [];
    if (event.type !== 'PositionStated') {
      const type = event.type === 'StatementCorrected' ? 'statement-corrected' : 'statement-retracted';
      messages.push({ position: stored.position, type, data: { statementId: event.data.statementId, actorId, topicId, reason: event.data.reason } });
    }
    if (before.stance !== stream.current.stance) messages.push({ position: stored.position, type: 'position-changed', data: this.positionChanged(stream, before) });
    const orgs = [...this.members.keys()].filter((orgId) => this.members.get(orgId)!.some((m) => m.actorId === actorId && m.speaksFor)).sort();
    return [...messages, ...orgs.flatMap((orgId) => this.voiceMessage(orgId, topicId, stored))];
  }

  private positionChanged(stream: PositionStream, before: CurrentPosition): PositionChanged {
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
      statementId: after.statementId,
      certainty: positionCertainty(after),
    };
  }

  /** A voice message when the organization's spokespeople start or stop diverging on the topic. */
  private voiceMessage(orgId: string, topicId: string, stored: StoredEvent): WatchMessage[] {
    const members = this.members.get(orgId) ?? [];
    const speakers = [...new Set(members.filter((m) => m.speaksFor).map((m) => m.actorId))];
    const statements = speakers.flatMap((actorId) => voiceStatements(actorId, this.stream(positionStream(actorId, topicId), actorId, topicId)?.statements ?? []));
    const voice = voiceAt(orgId, statements, members, stored.recordedAt, (code) => this.stanceOf(topicId, code)?.score ?? 0);
    const key = `${orgId}.${topicId}`;
    if ((this.divergent.get(key) ?? false) === voice.divergent) return [];
    this.divergent.set(key, voice.divergent);
    this.touch('divergent', key);
    const data: VoiceChanged = { orgId, topicId, voices: voice.voices.map((v) => ({ actorId: v.actorId, stance: this.stanceOf(topicId, v.stance), statementId: v.statementId })) };
    return [{ position: stored.position, type: voice.divergent ? 'voice-diverged' : 'voice-converged', data }];
  }

  private stanceOf(topicId: string, code: string | null): Stance | null {
    if (code === null) return null;
    return this.stances.get(topicId)?.get(code) ?? { code, label: code, score: 0 };
  }

  private addTopic({ actorId, topicId }: Pick<PositionStream, 'actorId' | 'topicId'>): void {
    const topics = this.topicsOf.get(actorId) ?? [];
    if (!topics.includes(topicId)) this.topicsOf.set(actorId, topics.concat([topicId]));
  }

  private id(id: string): string {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  }

  /** One string per stance code of a topic, however many statements take it. */
  private intern(topicId: string): (code: string) => string {
    return (code) => this.stances.get(topicId)?.get(code)?.code ?? code;
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
