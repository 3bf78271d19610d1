import { ActorAlreadyRegistered, ActorNotFound, AffiliationEndsBeforeItBegins, AffiliationOverlaps, NoOpenAffiliation, OrganizationIsAPerson, SelfAffiliation } from './actor.errors';
import type { ActorCommand, BeginAffiliation, EndAffiliation, RegisterActor } from './actor.commands';
import { ACTOR_KINDS, type ActorEvent } from './actor.events';
import { type ActorState, evolveActor, findOpenAffiliation, initialActorState } from './actor.state';
import type { Decider } from './decider';
import { assertNever } from './event';
import { InvalidValue } from './errors';
import { assertSlug } from './ids';
import { assertText } from './text';
import { assertDate } from './valid-time';

export const MAX_ALIASES = 20;
const WIKIDATA_ID = /^Q[1-9][0-9]{0,11}$/;

type Registered = Extract<ActorState, { registered: true }>;

export const actorDecider: Decider<ActorCommand, ActorEvent, ActorState> = {
  initialState: initialActorState,
  evolve: evolveActor,
  decide(command, state) {
    switch (command.type) {
      case 'RegisterActor':
        return [registerActor(command, state)];
      case 'BeginAffiliation':
        return [beginAffiliation(command, registered(state, command.actorId))];
      case 'EndAffiliation':
        return [endAffiliation(command, registered(state, command.actorId))];
      default:
        return assertNever(command);
    }
  },
};

function registered(state: ActorState, actorId: string): Registered {
  if (!state.registered) throw new ActorNotFound(actorId);
  return state;
}

function registerActor(command: RegisterActor, state: ActorState): ActorEvent {
  assertSlug(command.id, 'id');
  if (state.registered) throw new ActorAlreadyRegistered(command.id);
  assertText(command.name, 'name');
  if (!ACTOR_KINDS.includes(command.kind)) throw new InvalidValue(`kind must be one of ${ACTOR_KINDS.join(', ')}`, 'kind');
  if (command.aliases.length > MAX_ALIASES) throw new InvalidValue(`at most ${MAX_ALIASES} aliases`, 'aliases');
  command.aliases.forEach((alias, i) => assertText(alias, 'alias', `aliases[${i}]`));
  if (command.wikidataId !== undefined && !WIKIDATA_ID.test(command.wikidataId)) {
    throw new InvalidValue('wikidataId must be a Wikidata item id such as Q22686', 'wikidataId');
  }
  const { id, name, kind, aliases, wikidataId } = command;
  return { type: 'ActorRegistered', data: { id, name, kind, aliases: [...aliases], ...(wikidataId ? { wikidataId } : {}) } };
}

function beginAffiliation(command: BeginAffiliation, state: Registered): ActorEvent {
  const { organizationId, role, from, until, speaksFor, organization } = command;
  assertSlug(organizationId, 'organizationId');
  assertText(role, 'role');
  assertDate(from, 'from');
  if (until !== undefined) assertDate(until, 'until');
  if (organization === null) throw new ActorNotFound(organizationId, 'organizationId');
  if (organization.kind === 'person') throw new OrganizationIsAPerson(organizationId);
  if (organizationId === state.id) throw new SelfAffiliation();
  if (until !== undefined && until < from) throw new AffiliationEndsBeforeItBegins(from, until);
  const overlaps = state.affiliations.some(
    (a) => a.organizationId === organizationId && a.role === role && a.from <= (until ?? '9999-12-31') && from <= (a.until ?? '9999-12-31'),
  );
  if (overlaps) throw new AffiliationOverlaps(organizationId, role);
  return { type: 'AffiliationBegan', data: { organizationId, role, from, ...(until ? { until } : {}), speaksFor } };
}

function endAffiliation(command: EndAffiliation, state: Registered): ActorEvent {
  const { organizationId, role, until } = command;
  assertSlug(organizationId, 'organizationId');
  assertText(role, 'role');
  assertDate(until, 'until');
  const index = findOpenAffiliation(state.affiliations, organizationId, role);
  if (index < 0) throw new NoOpenAffiliation(organizationId, role);
  const from = state.affiliations[index].from;
  if (until < from) throw new AffiliationEndsBeforeItBegins(from, until);
  return { type: 'AffiliationEnded', data: { organizationId, role, until } };
}
