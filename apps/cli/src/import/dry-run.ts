import type { StreamCommands } from '@positions/application';
import {
  type ActorKind,
  type ActorState,
  actorDecider,
  actorStream,
  assertSlug,
  canonicalJson,
  type DomainEvent,
  positionDecider,
  positionStream,
  type Stance,
  type StatementFacts,
  topicDecider,
  topicStream,
  type TopicState,
} from '@positions/domain';
import type { EventStore } from '@positions/event-store';
import { randomUUID } from 'node:crypto';
import { type StatementInput, statementFingerprint } from './statement-input';

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

/**
 * The import, decided but not written: each row goes through the domain's own decider against
 * the store's state plus the rows before it, so a row that would be refused is found before
 * anything is written. Streams are read once and then kept, evolved with what the rows decided.
 * A decider's refusal (a `DomainError` naming the field) propagates to the caller.
 */
export class DryRun {
  private readonly actors = new Map<string, ActorState>();
  private readonly topics = new Map<string, TopicState>();
  /** Per actor–topic stream: fingerprints of the statements it holds and the rows decided so far. */
  private readonly statements = new Map<string, Set<string>>();

  constructor(
    private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly now: () => Date,
  ) {}

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
    const facts = { organization: organization.registered ? { id: organization.id, kind: organization.kind } : null };
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
    const held = await this.statementsOf(actorId, topicId);
    const fingerprint = statementFingerprint(statement);
    if (held.has(fingerprint)) return 'recorded';
    const facts = await this.facts(actorId, topicId, onBehalfOf);
    // Against the initial state: a recording depends on its stream only through statement ids, and this one is fresh.
    positionDecider.decide({ type: 'RecordStatement', statementId: randomUUID(), ...statement, ...facts }, positionDecider.initialState());
    held.add(fingerprint);
    return 'new';
  }

  /** What StatementFactsReader reads for the API, from the dry run's state instead of the store's. */
  private async facts(actorId: string, topicId: string, onBehalfOf: string | undefined): Promise<StatementFacts> {
    const [actor, topic] = [await this.actor(actorId), await this.topic(topicId)];
    let onBehalfOfActor: StatementFacts['onBehalfOfActor'];
    if (onBehalfOf !== undefined) {
      assertSlug(onBehalfOf, 'onBehalfOf');
      const organization = await this.actor(onBehalfOf);
      onBehalfOfActor = organization.registered ? { id: organization.id, kind: organization.kind } : null;
    }
    return {
      recordedAt: this.now().toISOString(),
      actor: actor.registered ? { id: actor.id, affiliations: actor.affiliations } : null,
      topic: topic.open ? { id: topic.id, stances: topic.stances } : null,
      onBehalfOfActor,
    };
  }

  private async actor(id: string): Promise<ActorState> {
    return this.actors.get(id) ?? this.cache(this.actors, id, await this.streams.load(actorStream(id), actorDecider));
  }

  private async topic(id: string): Promise<TopicState> {
    return this.topics.get(id) ?? this.cache(this.topics, id, await this.streams.load(topicStream(id), topicDecider));
  }

  /** The statements as first recorded (not as corrected since): a re-import of the original file must still match them. */
  private async statementsOf(actorId: string, topicId: string): Promise<Set<string>> {
    const streamId = positionStream(actorId, topicId);
    const known = this.statements.get(streamId);
    if (known) return known;
    const stated = (await this.store.readStream(streamId)).filter((e) => e.type === 'PositionStated');
    const fingerprints = new Set(stated.map(({ data }) => statementFingerprint({ actorId, topicId, ...(data as Omit<StatementInput, 'actorId' | 'topicId'>) })));
    return this.cache(this.statements, streamId, fingerprints);
  }

  private cache<T>(map: Map<string, T>, key: string, value: T): T {
    map.set(key, value);
    return value;
  }
}

function evolve<E extends DomainEvent, S>(decider: { evolve(state: S, event: E): S }, state: S, events: readonly E[]): S {
  return events.reduce((s, e) => decider.evolve(s, e), state);
}

function sameActor(state: Extract<ActorState, { registered: true }>, actor: ActorInput): boolean {
  const stored = { name: state.name, kind: state.kind, aliases: state.aliases, wikidataId: state.wikidataId };
  return canonicalJson(stored) === canonicalJson({ name: actor.name, kind: actor.kind, aliases: actor.aliases, wikidataId: actor.wikidataId ?? null });
}
