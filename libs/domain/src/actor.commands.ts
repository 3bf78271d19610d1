import type { ActorKind } from './actor.events';

export type RegisterActor = {
  type: 'RegisterActor';
  id: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  wikidataId?: string;
};

/** `organization` is what the store says of `organizationId`: null when no such actor is registered. */
export type BeginAffiliation = {
  type: 'BeginAffiliation';
  actorId: string;
  organizationId: string;
  role: string;
  from: string;
  until?: string;
  speaksFor: boolean;
  organization: { id: string; kind: ActorKind } | null;
};

export type EndAffiliation = {
  type: 'EndAffiliation';
  actorId: string;
  organizationId: string;
  role: string;
  until: string;
};

export type ActorCommand = RegisterActor | BeginAffiliation | EndAffiliation;
