import type { ActorKind, Source, Stance } from '@positions/domain';

/** The shape of a data set file such as `samples/sanctions-2025-02-26.json`: bodies as in the API. */
export interface DataSet {
  about?: string;
  actors?: { id: string; name: string; kind: ActorKind; aliases?: string[]; wikidataId?: string }[];
  affiliations?: { actorId: string; organizationId: string; role: string; from: string; until?: string; speaksFor?: boolean }[];
  topics?: { id: string; title: string; proposition: string; stances: Stance[] }[];
  statements?: {
    actorId: string;
    topicId: string;
    stance: string;
    summary: string;
    quote?: string;
    /** A day, a date-time, or an imprecise EDTF form (`2025-02-17/2025-02-23`). */
    statedOn: string;
    /** The source's own words for the date ("last week"). */
    statedOnWording?: string;
    source: Source;
    onBehalfOf?: string;
  }[];
}
