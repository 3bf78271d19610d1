import {
  type ActorKind,
  type ActorState,
  actorDecider,
  actorFact,
  actorStream,
  assertSlug,
  canonicalJson,
  type DomainEvent,
  parseStream,
  positionDecider,
  type PositionEvent,
  positionStream,
  type Stance,
  type StatementFacts,
  statementFacts,
  topicDecider,
  topicStream,
  type TopicState,
} from '@positions/domain';
import type { EventStore } from '@positions/event-store';
import { FingerprintSet } from './fingerprint-set';
import type { StreamCommands } from '../stream-commands';
import { type StatementInput, statementHash } from './statement-input';

/** The statement id of a decision that is only a check (the writer gives each statement its own). */
const CHECK_ONLY_ID = '00000000-0000-4000-8000-000000000000';

/** `new`: the import would write it; `recorded`: the store (or an earlier row) already holds it. */
export type Outcome = 'new' | 'recorded';

export interface ActorInput {
  id: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  wikidataId?: string;
}
export interface AffiliationInput {
  organizationId: string;
  role: string;
  from: string;
  until?: string;
  speaksFor: boolean;
}
export interface TopicInput {
  id: string;
  title: string;
  proposition: string;
  stances: Stance[];
}

export interface ImportCheckOptions {
  /**
   * Actor–topic streams read one by one (a read each) at least, before the check reads the
   * statements of every stream at once instead (ONE_BY_ONE by default; see `readStatements`).
   */
  streamsReadOneByOne?: number;
}

/** The event types of the actor–topic streams. */
const POSITION_EVENT_TYPES: readonly string[] = ['PositionStated', 'StatementCorrected', 'StatementRetracted'] satisfies PositionEvent['type'][];
const ONE_BY_ONE = 4096;
/** Events per read of the log when every actor–topic stream is read at once. */
const PAGE = 10_000;

/**
 * The check every import runs before it writes (with --dry-run, the only thing it runs): the import, decided but not written: each row goes through the domain's own decider against
 * the store's state plus the rows before it, so a row that would be refused is found before
 * anything is written. Streams are read once and then kept, evolved with what the rows decided.
 * A decider's refusal (a `DomainError` naming the field) propagates to the caller.
 *
 * The writer then builds on it: each actor–topic stream's last position as read here is the
 * expected position of its first append, moved on by each append of the import (`appended`),
 * and the facts it decided with are the facts it writes with, refreshed (`forget`) when another
 * writer changed an actor or a topic meanwhile.
 */
export class ImportCheck {
  private readonly actors = new Map<string, ActorState>();
  private readonly topics = new Map<string, TopicState>();
  /**
   * Fingerprints of the statements in the actor–topic streams read so far, and of the rows
   * decided since. One set for all streams: a fingerprint covers its actor and topic. Per row,
   * 16 bytes (32 MiB for a million rows).
   */
  private readonly fingerprints = new FingerprintSet();
  /** Per actor–topic stream read: its last stream position (-1: none), as read, then as the import appended. */
  private readonly positions = new Map<string, number>();
  /** The store's last position before any stream was read: what the writer checks for others' changes after. */
  readonly startedAt: Promise<number>;
  private clockRead = { ms: Number.NaN, iso: '' };
  /** Actor–topic streams read one by one so far, and whether every one of them has since been read at once. */
  private streamsRead = 0;
  private allStreamsRead = false;

  constructor(
    private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly now: () => Date,
    private readonly options: ImportCheckOptions = {},
  ) {
    this.startedAt = store.lastPosition();
    this.startedAt.catch(() => undefined); // reported where it is awaited
  }

  async registerActor(actor: ActorInput): Promise<Outcome> {
    const state = await this.actor(actor.id);
    if (state.registered && sameActor(state, actor)) return 'recorded';
    this.actors.set(actor.id, evolve(actorDecider, state, actorDecider.decide({ type: 'RegisterActor', ...actor }, state)));
    return 'new';
  }

  async beginAffiliation(actorId: string, affiliation: AffiliationInput): Promise<Outcome> {
    assertSlug(affiliation.organizationId, 'organizationId');
    const organization = await this.actor(affiliation.organizationId);
    const state = await this.actor(actorId);
    const held = { ...affiliation, until: affiliation.until ?? null };
    if (state.registered && state.affiliations.some((a) => canonicalJson(a) === canonicalJson(held))) return 'recorded';
    const facts = { organization: actorFact(organization) };
    this.actors.set(actorId, evolve(actorDecider, state, actorDecider.decide({ type: 'BeginAffiliation', actorId, ...affiliation, ...facts }, state)));
    return 'new';
  }

  async openTopic(topic: TopicInput): Promise<Outcome> {
    const state = await this.topic(topic.id);
    if (state.open && canonicalJson([state.title, state.proposition, state.stances]) === canonicalJson([topic.title, topic.proposition, topic.stances])) return 'recorded';
    this.topics.set(topic.id, evolve(topicDecider, state, topicDecider.decide({ type: 'OpenTopic', ...topic }, state)));
    return 'new';
  }

  async recordStatement(statement: StatementInput): Promise<Outcome> {
    const { actorId, topicId, onBehalfOf } = statement;
    assertSlug(actorId, 'actorId');
    assertSlug(topicId, 'topicId');
    if (!this.positions.has(positionStream(actorId, topicId))) await this.readStatements(actorId, topicId);
    const fingerprint = statementHash(statement);
    if (this.fingerprints.has(fingerprint)) return 'recorded';
    const facts = this.knownFacts(actorId, topicId, onBehalfOf) ?? (await this.facts(actorId, topicId, onBehalfOf));
    // Against the initial state: a recording depends on its stream only through statement ids, and none is taken there.
    positionDecider.decide({ type: 'RecordStatement', statementId: CHECK_ONLY_ID, ...statement, ...facts }, positionDecider.initialState());
    this.fingerprints.add(fingerprint);
    return 'new';
  }

  /** The last position of an actor–topic stream the check read, moved on by the import's appends; undefined for a stream it did not read. */
  expectedPosition(streamId: string): number | undefined {
    return this.positions.get(streamId);
  }

  /** The import appended to `streamId`, up to `streamPosition`. */
  appended(streamId: string, streamPosition: number): void {
    // A key already there stays as it is: only a new one needs a copy of its own.
    this.positions.set(this.positions.has(streamId) ? streamId : ownCopy(streamId), streamPosition);
  }

  /**
   * Reads an actor–topic stream again (another writer appended to it): the fingerprints of the
   * statements it holds now, its last position noted for the next append.
   */
  async reread(actorId: string, topicId: string): Promise<FingerprintSet> {
    const { fingerprints, last } = await this.statementsInStore(actorId, topicId);
    const held = new FingerprintSet(16);
    for (const fingerprint of fingerprints) held.add(fingerprint);
    this.positions.set(ownCopy(positionStream(actorId, topicId)), last);
    return held;
  }

  /** Another writer changed `streamId` (an actor or a topic): its state is read again when next needed. */
  forget(streamId: string): void {
    const ref = parseStream(streamId);
    if (ref?.kind === 'actor') this.actors.delete(ref.actorId);
    else if (ref?.kind === 'topic') this.topics.delete(ref.topicId);
  }

  /** What StatementFactsReader reads for the API, from the check's state instead of the store's. */
  async facts(actorId: string, topicId: string, onBehalfOf: string | undefined): Promise<StatementFacts> {
    await this.actor(actorId);
    await this.topic(topicId);
    if (onBehalfOf !== undefined) {
      assertSlug(onBehalfOf, 'onBehalfOf');
      await this.actor(onBehalfOf);
    }
    return this.knownFacts(actorId, topicId, onBehalfOf) as StatementFacts;
  }

  /** `facts` without waiting, when the states it needs are at hand (nearly always: a stream is read once); null otherwise. */
  knownFacts(actorId: string, topicId: string, onBehalfOf: string | undefined): StatementFacts | null {
    const [actor, topic] = [this.actors.get(actorId), this.topics.get(topicId)];
    if (!actor || !topic) return null;
    let organization: ActorState | undefined;
    if (onBehalfOf !== undefined) {
      assertSlug(onBehalfOf, 'onBehalfOf');
      organization = this.actors.get(onBehalfOf);
      if (!organization) return null;
    }
    return statementFacts(actor, topic, organization, this.recordedAt());
  }

  /** The time a statement decided now would be recorded at (formatted once per millisecond: it is asked for every row). */
  private recordedAt(): string {
    const now = this.now();
    if (now.getTime() !== this.clockRead.ms) this.clockRead = { ms: now.getTime(), iso: now.toISOString() };
    return this.clockRead.iso;
  }

  private async actor(id: string): Promise<ActorState> {
    const known = this.actors.get(id);
    if (known) return known;
    id = ownCopy(id);
    return this.cache(this.actors, id, await this.streams.load(actorStream(id), actorDecider));
  }

  private async topic(id: string): Promise<TopicState> {
    const known = this.topics.get(id);
    if (known) return known;
    id = ownCopy(id);
    return this.cache(this.topics, id, await this.streams.load(topicStream(id), topicDecider));
  }

  /**
   * Adds the statements of an actor–topic stream to the fingerprints, the first time the stream
   * comes up. A file of many actor–topic pairs would cost a read of the store per row (most of
   * a check of a new record's rows): once the streams read one by one cost about what a read of
   * the log would (an eighth of its events, ONE_BY_ONE at least), every actor–topic stream is
   * read at once, and a stream not found then has no events.
   */
  private async readStatements(actorId: string, topicId: string): Promise<void> {
    const streamId = positionStream(actorId, topicId);
    if (this.positions.has(streamId)) return;
    if (!this.allStreamsRead && ++this.streamsRead > (await this.oneByOne())) await this.readAllStatements();
    if (this.allStreamsRead) {
      if (!this.positions.has(streamId)) this.positions.set(ownCopy(streamId), -1);
      return;
    }
    const { fingerprints, last } = await this.statementsInStore(actorId, topicId);
    for (const fingerprint of fingerprints) this.fingerprints.add(fingerprint);
    this.positions.set(ownCopy(streamId), last);
  }

  private async oneByOne(): Promise<number> {
    return Math.max(this.options.streamsReadOneByOne ?? ONE_BY_ONE, Math.ceil((await this.startedAt) / 8));
  }

  /**
   * The statements of every actor–topic stream, read in pages by position: their fingerprints,
   * and each stream's last position. A stream another writer appends to later is found by the
   * writer, whose append then expects an older position (as after a read one by one).
   */
  private async readAllStatements(): Promise<void> {
    for (let after = 0; ; ) {
      const events = await this.store.readAll({ after, limit: PAGE, types: POSITION_EVENT_TYPES });
      for (const { streamId, streamPosition, type, data } of events) {
        if (streamPosition > (this.positions.get(streamId) ?? -1)) this.positions.set(streamId, streamPosition);
        const ref = type === 'PositionStated' ? parseStream(streamId) : null;
        if (ref?.kind === 'position') this.fingerprints.add(fingerprintOf(ref.actorId, ref.topicId, data));
      }
      if (events.length < PAGE) break;
      after = events[events.length - 1].position;
    }
    this.allStreamsRead = true;
  }

  /** The statements as first recorded (not as corrected since): a re-import of the original file must still match them. */
  private async statementsInStore(actorId: string, topicId: string): Promise<{ fingerprints: Uint8Array[]; last: number }> {
    const events = await this.store.readStream(positionStream(actorId, topicId));
    const stated = events.filter((e) => e.type === 'PositionStated');
    const fingerprints = stated.map(({ data }) => fingerprintOf(actorId, topicId, data));
    return { fingerprints, last: events.length > 0 ? events[events.length - 1].streamPosition : -1 };
  }

  private cache<T>(map: Map<string, T>, key: string, value: T): T {
    map.set(key, value);
    return value;
  }
}

/** The fingerprint of a statement as its PositionStated recorded it on the actor–topic stream. */
function fingerprintOf(actorId: string, topicId: string, data: unknown): Uint8Array {
  return statementHash({ actorId, topicId, ...(data as Omit<StatementInput, 'actorId' | 'topicId'>) });
}

/**
 * A copy of `text` with characters of its own. Strings cut from the file (a CSV cell) are views
 * into the chunk of text they were read with: kept as a key for the whole import, each would
 * keep its 64 KiB chunk in memory, and with it, in the end, the whole file.
 */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function evolve<E extends DomainEvent, S>(decider: { evolve(state: S, event: E): S }, state: S, events: readonly E[]): S {
  return events.reduce((s, e) => decider.evolve(s, e), state);
}

function sameActor(state: Extract<ActorState, { registered: true }>, actor: ActorInput): boolean {
  const stored = { name: state.name, kind: state.kind, aliases: state.aliases, wikidataId: state.wikidataId };
  return canonicalJson(stored) === canonicalJson({ name: actor.name, kind: actor.kind, aliases: actor.aliases, wikidataId: actor.wikidataId ?? null });
}
