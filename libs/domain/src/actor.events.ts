import type { Event } from './event';

export const ACTOR_KINDS = ['person', 'government', 'organization'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export type ActorRegistered = Event<
  'ActorRegistered',
  { id: string; name: string; kind: ActorKind; aliases: string[]; wikidataId?: string }
>;
/**
 * Reserved: `ActorRenamed` and `ActorAliasAdded` keep their shape and schema version, and every
 * fold handles them, but no command writes them yet (docs/domain.md, "Streams and events").
 * A rename or alias command must write exactly these.
 */
export type ActorRenamed = Event<'ActorRenamed', { name: string }>;
export type ActorAliasAdded = Event<'ActorAliasAdded', { alias: string }>;
/** `from` and `until` are dates (`YYYY-MM-DD`), both inclusive. */
export type AffiliationBegan = Event<
  'AffiliationBegan',
  { organizationId: string; role: string; from: string; until?: string; speaksFor: boolean }
>;
export type AffiliationEnded = Event<'AffiliationEnded', { organizationId: string; role: string; until: string }>;

export type ActorEvent = ActorRegistered | ActorRenamed | ActorAliasAdded | AffiliationBegan | AffiliationEnded;
