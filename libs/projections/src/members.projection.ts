import type { AffiliationBegan, AffiliationEnded } from '@positions/domain';
import { parseStream } from '@positions/domain';
import { documentProjection } from './document-view';

/** One affiliation of a member, as an organization's roster keeps it. */
export interface Membership {
  actorId: string;
  role: string;
  from: string;
  until: string | null;
  speaksFor: boolean;
}

/**
 * Each organization's roster: who was affiliated with it, in what role, when. Voices read
 * it at query time, so correcting an affiliation's dates re-attributes past statements
 * without rewriting anything.
 */
export const membersProjection = documentProjection<Membership[]>({
  name: 'members',
  version: 1,
  handles: ['AffiliationBegan', 'AffiliationEnded'],
  keyOf: (event) => (event.data as { organizationId: string }).organizationId,
  evolve: (row, event) => {
    const ref = parseStream(event.streamId);
    if (ref?.kind !== 'actor') return row;
    const roster = row ?? [];
    const { actorId } = ref;
    if (event.type === 'AffiliationBegan') {
      const { role, from, until, speaksFor } = (event as unknown as AffiliationBegan).data;
      return [...roster, { actorId, role, from, until: until ?? null, speaksFor }];
    }
    const { role, until } = (event as unknown as AffiliationEnded).data;
    const open = roster.findIndex((m) => m.actorId === actorId && m.role === role && m.until === null);
    return roster.map((m, i) => (i === open ? { ...m, until } : m));
  },
});
