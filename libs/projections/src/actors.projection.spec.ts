import { actorRegistered, affiliationBegan, ofActor, projectionSpec } from '@positions/testing';
import { actorsProjection } from './actors.projection';

const spec = projectionSpec(actorsProjection);
const rubio = (overrides = {}) => ({
  registered: true,
  id: 'marco-rubio',
  name: 'Marco Rubio',
  kind: 'person',
  aliases: [],
  wikidataId: null,
  affiliations: [],
  ...overrides,
});

describe('the actors view (given events, then rows)', () => {
  it('given nothing, then there are no rows', () => spec.given([]).thenRows('actors', {}));

  it('given an actor registered, then one row keyed by its id, as the domain folds it', () =>
    spec.given([ofActor('marco-rubio', actorRegistered('rubio'))]).thenRows('actors', { 'marco-rubio': rubio() }));

  it('given a wikidata id, then the row keeps it', () =>
    spec.given([ofActor('marco-rubio', actorRegistered('rubio', { wikidataId: 'Q324546' }))]).thenRows('actors', { 'marco-rubio': rubio({ wikidataId: 'Q324546' }) }));

  it('given a rename and aliases, then the row has the new name and the aliases in order', () =>
    spec
      .given([
        ofActor('marco-rubio', actorRegistered('rubio')),
        ofActor('marco-rubio', { type: 'ActorRenamed', data: { name: 'Marco Antonio Rubio' } }),
        ofActor('marco-rubio', { type: 'ActorAliasAdded', data: { alias: 'Little Marco' } }),
        ofActor('marco-rubio', { type: 'ActorAliasAdded', data: { alias: 'the Secretary' } }),
      ])
      .thenRows('actors', { 'marco-rubio': rubio({ name: 'Marco Antonio Rubio', aliases: ['Little Marco', 'the Secretary'] }) }));

  it('given affiliations begun and one ended, then the row lists them with until set on the ended one only', () =>
    spec
      .given([
        ofActor('marco-rubio', actorRegistered('rubio')),
        ofActor('marco-rubio', affiliationBegan('rubio')),
        ofActor('marco-rubio', affiliationBegan('rubio', { organizationId: 'us-government', role: 'National Security Advisor', from: '2025-05-01' })),
        ofActor('marco-rubio', { type: 'AffiliationEnded', data: { organizationId: 'us-government', role: 'National Security Advisor', until: '2025-06-30' } }),
      ])
      .thenRows('actors', {
        'marco-rubio': rubio({
          affiliations: [
            { organizationId: 'us-government', role: 'Secretary of State', from: '2025-01-21', until: null, speaksFor: true },
            { organizationId: 'us-government', role: 'National Security Advisor', from: '2025-05-01', until: '2025-06-30', speaksFor: true },
          ],
        }),
      }));

  it('given several actors, then actors() lists the registered ones by id and actor(id) finds each', () =>
    projectionSpec()
      .given([ofActor('marco-rubio', actorRegistered('rubio')), ofActor('donald-trump', actorRegistered('trump')), ofActor('us-government', actorRegistered('usGovernment'))])
      .thenAnswer((read) => {
        expect(read.actors().map((a) => a.id)).toEqual(['donald-trump', 'marco-rubio', 'us-government']);
        expect(read.actor('us-government')).toMatchObject({ kind: 'government', aliases: ['Washington'] });
        expect(read.actor('nobody')).toBeNull();
      }));

  it('given events only about other streams, then no actor row', () =>
    spec.given([{ streamId: 'topic-russia-sanctions-relief', type: 'StanceAdded', data: { code: 'x', label: 'X', score: 0 } }]).thenRows('actors', {}));
});
