import { affiliationBegan, ofActor, projectionSpec } from '@positions/testing';
import { membersProjection } from './members.projection';

const spec = projectionSpec(membersProjection);
const ended = (organizationId: string, role: string, until: string) => ({ type: 'AffiliationEnded' as const, data: { organizationId, role, until } });

/** The recording store records the k-th given event k seconds after its start. */
const at = (k: number) => new Date(Date.parse('2025-03-01T12:00:00.000Z') + k * 1000).toISOString();
const known = (k: number, untilAtBegin: string | null = null) => ({ recordedAt: at(k), endedAt: null, untilAtBegin });

const trump = { actorId: 'donald-trump', role: 'President', from: '2025-01-20', until: null, speaksFor: true, ...known(0) };
const rubio = { actorId: 'marco-rubio', role: 'Secretary of State', from: '2025-01-21', until: null, speaksFor: true, ...known(1) };

describe('the members view: organization rosters (given events, then rows)', () => {
  it('given affiliations with one organization, then its roster lists each member in the order they began', () =>
    spec
      .given([ofActor('donald-trump', affiliationBegan('trump')), ofActor('marco-rubio', affiliationBegan('rubio'))])
      .thenRows('members', { 'us-government': [trump, rubio] }));

  it('given affiliations with two organizations, then each has its own roster', () =>
    spec
      .given([ofActor('marco-rubio', affiliationBegan('rubio')), ofActor('valdis-dombrovskis', affiliationBegan('dombrovskis'))])
      .thenRows('members', {
        'us-government': [{ ...rubio, ...known(0) }],
        'european-union': [{ actorId: 'valdis-dombrovskis', role: 'European Commissioner', from: '2019-12-01', until: null, speaksFor: true, ...known(1) }],
      }));

  it('given an affiliation with an end date and one without speaksFor, then the roster keeps both as given', () =>
    spec
      .given([ofActor('jd-vance', affiliationBegan('trump', { role: 'Vice President', from: '2025-01-20', until: '2029-01-20', speaksFor: false }))])
      .thenRows('members', { 'us-government': [{ actorId: 'jd-vance', role: 'Vice President', from: '2025-01-20', until: '2029-01-20', speaksFor: false, ...known(0, '2029-01-20') }] }));

  it('given AffiliationEnded, then the open affiliation of that member and role gets its until', () =>
    spec
      .given([ofActor('donald-trump', affiliationBegan('trump')), ofActor('marco-rubio', affiliationBegan('rubio')), ofActor('marco-rubio', ended('us-government', 'Secretary of State', '2025-06-30'))])
      .thenRows('members', { 'us-government': [trump, { ...rubio, until: '2025-06-30', endedAt: at(2) }] }));

  it('given a member who left and came back in the same role, then ending closes only the open one', () =>
    spec
      .given([
        ofActor('marco-rubio', affiliationBegan('rubio', { from: '2025-01-21', until: '2025-03-01' })),
        ofActor('marco-rubio', affiliationBegan('rubio', { from: '2025-05-01' })),
        ofActor('marco-rubio', ended('us-government', 'Secretary of State', '2025-08-31')),
      ])
      .thenRows('members', {
        'us-government': [
          { ...rubio, until: '2025-03-01', ...known(0, '2025-03-01') },
          { ...rubio, from: '2025-05-01', until: '2025-08-31', endedAt: at(2) },
        ],
      }));

  it('given AffiliationEnded for another role or another member, then nothing changes', () =>
    spec
      .given([
        ofActor('marco-rubio', affiliationBegan('rubio')),
        ofActor('marco-rubio', ended('us-government', 'National Security Advisor', '2025-06-30')),
        ofActor('donald-trump', ended('us-government', 'Secretary of State', '2025-06-30')),
      ])
      .thenRows('members', { 'us-government': [{ ...rubio, ...known(0) }] }));

  it('given a roster, then members(org) answers it and an organization without members gets []', () =>
    projectionSpec()
      .given([ofActor('donald-trump', affiliationBegan('trump')), ofActor('donald-trump', ended('us-government', 'President', '2029-01-20'))])
      .thenAnswer((read) => {
        expect(read.members('us-government')).toEqual([{ ...trump, until: '2029-01-20', endedAt: at(1) }]);
        expect(read.members('european-union')).toEqual([]);
      }));

  it('given an affiliation and its end, then the roster as known between them has it open, and before it nothing', () =>
    projectionSpec()
      .given([ofActor('donald-trump', affiliationBegan('trump')), ofActor('donald-trump', ended('us-government', 'President', '2029-01-20'))])
      .thenAnswer((read) => {
        expect(read.members('us-government', Date.parse(at(0)))).toEqual([trump]);
        expect(read.members('us-government', Date.parse(at(0)) - 1)).toEqual([]);
      }));
});
