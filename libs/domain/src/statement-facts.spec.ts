import { actorDecider } from './actor.decider';
import type { ActorState } from './actor.state';
import { actorFact, statementFacts } from './statement-facts';
import type { TopicState } from './topic.decider';

const NOW = '2025-03-01T12:00:00.000Z';
const ana: ActorState = {
  registered: true,
  id: 'ana',
  name: 'Ana',
  kind: 'person',
  aliases: [],
  wikidataId: null,
  affiliations: [{ organizationId: 'acme', role: 'CEO', from: '2020-01-01', until: null, speaksFor: true }],
};
const acme: ActorState = { registered: true, id: 'acme', name: 'Acme', kind: 'organization', aliases: [], wikidataId: null, affiliations: [] };
const tax: TopicState = { open: true, id: 'tax', title: 'Tax', proposition: 'Taxes should go up', stances: [{ code: 'yes', label: 'Yes', score: 1 }] };
const nobody = actorDecider.initialState();

describe('statementFacts', () => {
  it('gives the speaker with their affiliations, the codebook and the organization spoken for, at the moment of recording', () => {
    expect(statementFacts(ana, tax, acme, NOW)).toEqual({
      recordedAt: NOW,
      actor: { id: 'ana', affiliations: ana.registered ? ana.affiliations : [] },
      topic: { id: 'tax', stances: tax.open ? tax.stances : [] },
      onBehalfOfActor: { id: 'acme', kind: 'organization' },
    });
  });

  it('says null for what the store does not hold, and leaves the organization out when the statement names none', () => {
    const facts = statementFacts(nobody, { open: false }, nobody, NOW);
    expect(facts).toMatchObject({ actor: null, topic: null, onBehalfOfActor: null });
    expect(statementFacts(ana, tax, undefined, NOW).onBehalfOfActor).toBeUndefined();
  });
});

describe('actorFact', () => {
  it('is the id and kind of a registered actor, null otherwise', () => {
    expect([actorFact(acme), actorFact(nobody)]).toEqual([{ id: 'acme', kind: 'organization' }, null]);
  });
});
