import type { ActorEvent, ActorKind } from './actor.events';
import { assertNever } from './event';
import { endInstant, startInstant } from './valid-time';

export interface Affiliation {
  organizationId: string;
  role: string;
  /** Dates, both inclusive; `until` null while the affiliation is open. */
  from: string;
  until: string | null;
  speaksFor: boolean;
}

export type ActorState =
  | { registered: false }
  | {
      registered: true;
      id: string;
      name: string;
      kind: ActorKind;
      aliases: string[];
      wikidataId: string | null;
      affiliations: Affiliation[];
    };

export const initialActorState = (): ActorState => ({ registered: false });

export function evolveActor(state: ActorState, event: ActorEvent): ActorState {
  if (event.type === 'ActorRegistered') {
    const { id, name, kind, aliases, wikidataId } = event.data;
    return { registered: true, id, name, kind, aliases: [...aliases], wikidataId: wikidataId ?? null, affiliations: [] };
  }
  if (!state.registered) return state;
  switch (event.type) {
    case 'ActorRenamed':
      return { ...state, name: event.data.name };
    case 'ActorAliasAdded':
      return { ...state, aliases: [...state.aliases, event.data.alias] };
    case 'AffiliationBegan': {
      const { organizationId, role, from, until, speaksFor } = event.data;
      const affiliation = { organizationId, role, from, until: until ?? null, speaksFor };
      return { ...state, affiliations: [...state.affiliations, affiliation] };
    }
    case 'AffiliationEnded':
      return { ...state, affiliations: endOpenAffiliation(state.affiliations, event.data) };
    default:
      return assertNever(event);
  }
}

function endOpenAffiliation(affiliations: Affiliation[], ended: { organizationId: string; role: string; until: string }): Affiliation[] {
  const index = findOpenAffiliation(affiliations, ended.organizationId, ended.role);
  return affiliations.map((a, i) => (i === index ? { ...a, until: ended.until } : a));
}

export function findOpenAffiliation(affiliations: readonly Affiliation[], organizationId: string, role: string): number {
  return affiliations.findIndex((a) => a.organizationId === organizationId && a.role === role && a.until === null);
}

/** Whether the affiliation's interval (whole days, both ends inclusive) holds the instant. */
export function affiliationCovers(affiliation: Affiliation, instant: number): boolean {
  if (instant < startInstant(affiliation.from)) return false;
  return affiliation.until === null || instant <= endInstant(affiliation.until);
}
