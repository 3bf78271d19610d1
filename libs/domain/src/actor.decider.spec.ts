import {
  actorRegistered,
  affiliationBegan,
  beginAffiliation,
  beginRubioAffiliation,
  deciderSpec,
  organizationFact,
  registerActor,
  rubioAffiliationBegan,
} from '@positions/testing';
import { actorDecider } from './actor.decider';
import {
  ActorAlreadyRegistered,
  ActorNotFound,
  AffiliationEndsBeforeItBegins,
  AffiliationOverlaps,
  NoOpenAffiliation,
  OrganizationIsAPerson,
  SelfAffiliation,
} from './actor.errors';
import type { EndAffiliation } from './actor.commands';
import type { ActorKind, AffiliationEnded } from './actor.events';
import { InvalidValue } from './errors';

const actor = deciderSpec(actorDecider);

const invalid = (field: string) => ({ code: 'INVALID_VALUE', kind: 'invalid', field }) as const;
const NOT_FOUND = { code: 'ACTOR.NOT_FOUND', kind: 'not-found' } as const;
const ENDS_BEFORE_IT_BEGINS = { code: 'ACTOR.AFFILIATION_ENDS_BEFORE_IT_BEGINS', kind: 'rule-broken', field: 'until' } as const;
const OVERLAPS = { code: 'ACTOR.AFFILIATION_OVERLAPS', kind: 'rule-broken' } as const;
const NO_OPEN_AFFILIATION = { code: 'ACTOR.NO_OPEN_AFFILIATION', kind: 'rule-broken' } as const;

const rubioRegistered = actorRegistered('rubio');
const usGovernmentRegistered = actorRegistered('usGovernment');

const endRubioAffiliation = (overrides: Partial<EndAffiliation> = {}): EndAffiliation => ({
  type: 'EndAffiliation',
  actorId: 'marco-rubio',
  organizationId: 'us-government',
  role: 'Secretary of State',
  until: '2025-12-31',
  ...overrides,
});

const rubioAffiliationEnded = (until: string): AffiliationEnded => ({
  type: 'AffiliationEnded',
  data: { organizationId: 'us-government', role: 'Secretary of State', until },
});

describe('actor decider', () => {
  describe('registering an actor', () => {
    it('given no actor, when Trump is registered, then ActorRegistered carries his id, name, kind and aliases', () => {
      actor.when(registerActor('trump')).then([
        { type: 'ActorRegistered', data: { id: 'donald-trump', name: 'Donald Trump', kind: 'person', aliases: [] } },
      ]);
    });

    it('given no actor, when the Russian government is registered with aliases, then the aliases are kept in order', () => {
      actor.when(registerActor('russianGovernment')).then([
        {
          type: 'ActorRegistered',
          data: { id: 'russian-government', name: 'Government of the Russian Federation', kind: 'government', aliases: ['Moscow', 'the Kremlin'] },
        },
      ]);
    });

    it.each<ActorKind>(['person', 'government', 'organization'])('accepts the kind %s', (kind) => {
      actor.when(registerActor('eu', { kind })).then([actorRegistered('eu', { kind })]);
    });

    it.each(['party', 'Person', ''])('refuses the kind %p', (kind) => {
      actor.when(registerActor('eu', { kind: kind as string as ActorKind })).thenThrows(InvalidValue, invalid('kind'));
    });

    it.each([
      ['a 64-character slug', 'a'.repeat(64)],
      ['digits', 'g7'],
      ['single hyphens', 'us-government'],
    ])('accepts an id that is %s', (_, id) => {
      actor.when(registerActor('eu', { id })).then([actorRegistered('eu', { id })]);
    });

    it.each([
      ['65 characters', 'a'.repeat(65)],
      ['uppercase and an underscore', 'Bad_Id'],
      ['a double hyphen', 'us--government'],
      ['a leading hyphen', '-eu'],
      ['a trailing hyphen', 'eu-'],
      ['a dot', 'us.government'],
      ['a space', 'us government'],
      ['empty', ''],
    ])('refuses an id with %s', (_, id) => {
      actor.when(registerActor('eu', { id })).thenThrows(InvalidValue, invalid('id'));
    });

    it('given the actor is registered, when it is registered again, then it is refused as already registered', () => {
      actor
        .given([rubioRegistered])
        .when(registerActor('rubio', { name: 'Marco Antonio Rubio' }))
        .thenThrows(ActorAlreadyRegistered, { code: 'ACTOR.ALREADY_REGISTERED', kind: 'already-exists', field: 'id' });
    });

    it('accepts a name of 200 characters and refuses one of 201, or a blank one', () => {
      actor.when(registerActor('eu', { name: 'n'.repeat(200) })).then([actorRegistered('eu', { name: 'n'.repeat(200) })]);
      actor.when(registerActor('eu', { name: 'n'.repeat(201) })).thenThrows(InvalidValue, invalid('name'));
      actor.when(registerActor('eu', { name: '' })).thenThrows(InvalidValue, invalid('name'));
      actor.when(registerActor('eu', { name: '   ' })).thenThrows(InvalidValue, invalid('name'));
    });

    describe('aliases', () => {
      const many = (n: number): string[] => Array.from({ length: n }, (_, i) => `alias ${i + 1}`);

      it('accepts 20 aliases, and aliases of 1 and 200 characters', () => {
        actor.when(registerActor('eu', { aliases: many(20) })).then([actorRegistered('eu', { aliases: many(20) })]);
        const bounds = ['E', 'e'.repeat(200)];
        actor.when(registerActor('eu', { aliases: bounds })).then([actorRegistered('eu', { aliases: bounds })]);
      });

      it('refuses a 21st alias', () => {
        actor.when(registerActor('eu', { aliases: many(21) })).thenThrows(InvalidValue, invalid('aliases'));
      });

      it.each([
        ['empty', ''],
        ['blank', '  '],
        ['201 characters long', 'e'.repeat(201)],
      ])('refuses an alias that is %s, naming its index', (_, alias) => {
        actor.when(registerActor('eu', { aliases: ['the EU', alias] })).thenThrows(InvalidValue, invalid('aliases[1]'));
      });
    });

    describe('wikidataId', () => {
      it('keeps a Wikidata item id', () => {
        actor.when(registerActor('trump', { wikidataId: 'Q22686' })).then([actorRegistered('trump', { wikidataId: 'Q22686' })]);
      });

      it.each(['22686', 'q22686', 'Q0', 'Q', 'Q22686 ', 'P31', ''])('refuses %p', (wikidataId) => {
        actor.when(registerActor('trump', { wikidataId })).thenThrows(InvalidValue, invalid('wikidataId'));
      });
    });
  });

  describe('beginning an affiliation', () => {
    it('given Rubio, when he becomes Secretary of State from 2025-01-21 speaking for the US government, then AffiliationBegan is open-ended', () => {
      actor.given([rubioRegistered]).when(beginRubioAffiliation()).then([
        {
          type: 'AffiliationBegan',
          data: { organizationId: 'us-government', role: 'Secretary of State', from: '2025-01-21', speaksFor: true },
        },
      ]);
    });

    it('given Rubio, when the affiliation has an end, then AffiliationBegan carries it', () => {
      actor
        .given([rubioRegistered])
        .when(beginRubioAffiliation({ until: '2029-01-20', speaksFor: false }))
        .then([rubioAffiliationBegan({ until: '2029-01-20', speaksFor: false })]);
    });

    it('given Rubio, when the affiliation ends the day it begins, then it is accepted: both ends are inclusive', () => {
      actor
        .given([rubioRegistered])
        .when(beginRubioAffiliation({ until: '2025-01-21' }))
        .then([rubioAffiliationBegan({ until: '2025-01-21' })]);
    });

    it('given Rubio, when the affiliation ends the day before it begins, then it is refused', () => {
      actor
        .given([rubioRegistered])
        .when(beginRubioAffiliation({ until: '2025-01-20' }))
        .thenThrows(AffiliationEndsBeforeItBegins, ENDS_BEFORE_IT_BEGINS);
    });

    it('given no actor, when it is given an affiliation, then the actor is not found', () => {
      actor.when(beginRubioAffiliation()).thenThrows(ActorNotFound, NOT_FOUND);
    });

    it('given Rubio, when the organization is not registered, then it is not found, naming organizationId', () => {
      actor
        .given([rubioRegistered])
        .when(beginRubioAffiliation({ organizationId: 'nato', organization: null }))
        .thenThrows(ActorNotFound, { ...NOT_FOUND, field: 'organizationId' });
    });

    it('given Rubio, when the "organization" is a person, then it is refused: a person cannot be an organization', () => {
      actor
        .given([rubioRegistered])
        .when(beginRubioAffiliation({ organizationId: 'donald-trump', organization: { id: 'donald-trump', kind: 'person' } }))
        .thenThrows(OrganizationIsAPerson, { code: 'ACTOR.ORGANIZATION_IS_A_PERSON', kind: 'rule-broken', field: 'organizationId' });
    });

    it.each<ActorKind>(['government', 'organization'])('accepts an organization that is a %s', (kind) => {
      actor
        .given([rubioRegistered])
        .when(beginRubioAffiliation({ organizationId: 'us-government', organization: { id: 'us-government', kind } }))
        .then([rubioAffiliationBegan()]);
    });

    it('given the US government, when it is affiliated with itself, then it is refused', () => {
      actor
        .given([usGovernmentRegistered])
        .when(beginRubioAffiliation({ actorId: 'us-government', organization: organizationFact('us-government') }))
        .thenThrows(SelfAffiliation, { code: 'ACTOR.SELF_AFFILIATION', kind: 'rule-broken' });
    });

    it.each([
      ['from', 'not a calendar date', { from: '2025-02-30' }],
      ['from', 'a date-time', { from: '2025-01-21T00:00:00Z' }],
      ['from', 'day-first', { from: '21/01/2025' }],
      ['until', 'month 13', { until: '2025-13-01' }],
      ['until', 'empty', { until: '' }],
      ['organizationId', 'not a slug', { organizationId: 'Bad_Id' }],
      ['role', 'empty', { role: '' }],
      ['role', '201 characters long', { role: 'r'.repeat(201) }],
    ])('refuses a %s that is %s', (field, _, overrides) => {
      actor.given([rubioRegistered]).when(beginRubioAffiliation(overrides)).thenThrows(InvalidValue, invalid(field));
    });

    describe('overlap with the same organization and role', () => {
      const closed = rubioAffiliationBegan({ from: '2025-01-21', until: '2025-02-28' });

      it('given an open affiliation, when the same one begins later, then it is refused', () => {
        actor
          .given([rubioRegistered, rubioAffiliationBegan()])
          .when(beginRubioAffiliation({ from: '2026-01-01' }))
          .thenThrows(AffiliationOverlaps, OVERLAPS);
      });

      it('given an open affiliation, when the same one begins and ends before it, then it is accepted', () => {
        actor
          .given([rubioRegistered, rubioAffiliationBegan()])
          .when(beginRubioAffiliation({ from: '2017-01-20', until: '2021-01-20' }))
          .then([rubioAffiliationBegan({ from: '2017-01-20', until: '2021-01-20' })]);
      });

      it.each([
        ['begins on its last day', { from: '2025-02-28' }],
        ['ends on its first day', { from: '2024-01-01', until: '2025-01-21' }],
        ['lies inside it', { from: '2025-02-01', until: '2025-02-02' }],
        ['encloses it', { from: '2025-01-01', until: '2025-12-31' }],
        ['begins before it, open-ended', { from: '2024-01-01' }],
      ])('given an affiliation from 2025-01-21 until 2025-02-28, when one %s, then it is refused', (_, overrides) => {
        actor.given([rubioRegistered, closed]).when(beginRubioAffiliation(overrides)).thenThrows(AffiliationOverlaps, OVERLAPS);
      });

      it.each([
        ['begins the day after it ends', { from: '2025-03-01' }],
        ['ends the day before it begins', { from: '2024-01-01', until: '2025-01-20' }],
      ])('given an affiliation from 2025-01-21 until 2025-02-28, when one %s, then it is accepted', (_, overrides) => {
        actor.given([rubioRegistered, closed]).when(beginRubioAffiliation(overrides)).then([rubioAffiliationBegan(overrides)]);
      });

      it('given an open affiliation, when another role in the same organization overlaps it, then it is accepted', () => {
        actor
          .given([rubioRegistered, rubioAffiliationBegan()])
          .when(beginRubioAffiliation({ role: 'National Security Advisor', from: '2025-05-01' }))
          .then([rubioAffiliationBegan({ role: 'National Security Advisor', from: '2025-05-01' })]);
      });

      it('given an open affiliation, when the same role in another organization overlaps it, then it is accepted', () => {
        const nato = { organizationId: 'nato', organization: { id: 'nato', kind: 'organization' as const } };
        actor
          .given([rubioRegistered, rubioAffiliationBegan()])
          .when(beginRubioAffiliation(nato))
          .then([rubioAffiliationBegan({ organizationId: 'nato' })]);
      });

      it('given an affiliation that was ended, when the same one begins after the end, then it is accepted', () => {
        actor
          .given([rubioRegistered, rubioAffiliationBegan(), rubioAffiliationEnded('2025-06-30')])
          .when(beginRubioAffiliation({ from: '2025-07-01' }))
          .then([rubioAffiliationBegan({ from: '2025-07-01' })]);
      });

      it('given an affiliation that was ended, when the same one begins on its last day, then it is refused', () => {
        actor
          .given([rubioRegistered, rubioAffiliationBegan(), rubioAffiliationEnded('2025-06-30')])
          .when(beginRubioAffiliation({ from: '2025-06-30' }))
          .thenThrows(AffiliationOverlaps, OVERLAPS);
      });
    });

    it("given Trump's affiliation, then the seed's affiliations are accepted as they stand", () => {
      actor.given([actorRegistered('trump')]).when(beginAffiliation('trump')).then([affiliationBegan('trump')]);
    });
  });

  describe('ending an affiliation', () => {
    it('given an open affiliation, when it is ended, then AffiliationEnded', () => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan()])
        .when(endRubioAffiliation({ until: '2025-12-31' }))
        .then([rubioAffiliationEnded('2025-12-31')]);
    });

    it('given an open affiliation, when it is ended on its first day, then it is accepted: both ends are inclusive', () => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan()])
        .when(endRubioAffiliation({ until: '2025-01-21' }))
        .then([rubioAffiliationEnded('2025-01-21')]);
    });

    it('given an open affiliation, when it is ended before it began, then it is refused', () => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan()])
        .when(endRubioAffiliation({ until: '2025-01-20' }))
        .thenThrows(AffiliationEndsBeforeItBegins, ENDS_BEFORE_IT_BEGINS);
    });

    it('given no affiliation, when one is ended, then it is refused: none is open', () => {
      actor.given([rubioRegistered]).when(endRubioAffiliation()).thenThrows(NoOpenAffiliation, NO_OPEN_AFFILIATION);
    });

    it('given an affiliation with an end, when it is ended, then it is refused: none is open', () => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan({ until: '2025-06-30' })])
        .when(endRubioAffiliation())
        .thenThrows(NoOpenAffiliation, NO_OPEN_AFFILIATION);
    });

    it('given an affiliation that was already ended, when it is ended again, then it is refused: none is open', () => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan(), rubioAffiliationEnded('2025-06-30')])
        .when(endRubioAffiliation())
        .thenThrows(NoOpenAffiliation, NO_OPEN_AFFILIATION);
    });

    it('given an open affiliation, when another role is ended, then it is refused: that one is not open', () => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan()])
        .when(endRubioAffiliation({ role: 'National Security Advisor' }))
        .thenThrows(NoOpenAffiliation, NO_OPEN_AFFILIATION);
    });

    it('given no actor, when an affiliation is ended, then the actor is not found', () => {
      actor.when(endRubioAffiliation()).thenThrows(ActorNotFound, NOT_FOUND);
    });

    it.each([
      ['until', 'not a calendar date', { until: '2025-02-29' }],
      ['until', 'a date-time', { until: '2025-12-31T00:00:00Z' }],
      ['organizationId', 'not a slug', { organizationId: 'Bad_Id' }],
      ['role', 'blank', { role: ' ' }],
    ])('refuses a %s that is %s', (field, _, overrides) => {
      actor
        .given([rubioRegistered, rubioAffiliationBegan()])
        .when(endRubioAffiliation(overrides))
        .thenThrows(InvalidValue, invalid(field));
    });
  });
});
