import { type AffiliationBegan, type AffiliationEnded, parseStream, toDomainEvent } from '@positions/domain';
import { documentProjection } from './document-view';
import type { ViewReader } from './view-reader';

/** One affiliation of a member, as an organization's roster keeps it. */
export interface Membership {
  actorId: string;
  role: string;
  from: string;
  until: string | null;
  speaksFor: boolean;
  /** When the affiliation was recorded, and when its end was (`knownAt` questions need both). */
  recordedAt: string;
  endedAt: string | null;
  /** The end given when it began, before any `AffiliationEnded`. */
  untilAtBegin: string | null;
}

/** The roster as the record stood at `knownAtMs`: later affiliations and ends not yet known. */
export function rosterKnownAt(roster: readonly Membership[], knownAtMs: number): Membership[] {
  return roster
    .filter((m) => Date.parse(m.recordedAt) <= knownAtMs)
    .map((m) => (m.endedAt !== null && Date.parse(m.endedAt) > knownAtMs ? { ...m, until: m.untilAtBegin, endedAt: null } : m));
}

/**
 * Each organization's roster: who was affiliated with it, in what role, when. Voices read
 * it at query time, so correcting an affiliation's dates re-attributes past statements
 * without rewriting anything.
 */
export const membersProjection = documentProjection<Membership[]>({
  name: 'members',
  version: 2,
  handles: ['AffiliationBegan', 'AffiliationEnded'],
  keyOf: (stored) => toDomainEvent<AffiliationBegan | AffiliationEnded>(stored).data.organizationId,
  evolve: (row, stored) => {
    const ref = parseStream(stored.streamId);
    if (ref?.kind !== 'actor') return row;
    const roster = row ?? [];
    const { actorId } = ref;
    const event = toDomainEvent<AffiliationBegan | AffiliationEnded>(stored);
    if (event.type === 'AffiliationBegan') {
      const { role, from, until, speaksFor } = event.data;
      return [...roster, { actorId, role, from, until: until ?? null, speaksFor, recordedAt: stored.recordedAt, endedAt: null, untilAtBegin: until ?? null }];
    }
    const { role, until } = event.data;
    const open = roster.findIndex((m) => m.actorId === actorId && m.role === role && m.until === null);
    return roster.map((m, i) => (i === open ? { ...m, until, endedAt: stored.recordedAt } : m));
  },
});

/** Everyone affiliated with the organization at any time, as the record stood at `knownAtMs`. */
export function membersOf(read: ViewReader, organizationId: string, knownAtMs: number): Membership[] {
  return rosterKnownAt(read.document<Membership[]>(membersProjection.name, organizationId) ?? [], knownAtMs);
}
