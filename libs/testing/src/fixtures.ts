import type {
  ActorKind,
  ActorRegistered,
  Affiliation,
  AffiliationBegan,
  BeginAffiliation,
  CorrectStatement,
  OpenTopic,
  PositionStated,
  RecordStatement,
  RegisterActor,
  RetractStatement,
  Stance,
  StatementFields,
  TopicOpened,
} from '@positions/domain';

/*
 * The facts of the seed article (samples/sanctions-2025-02-26.json) as plain data, in three forms:
 * HTTP bodies (`*Body`, for end-to-end tests), domain commands and domain events. Every builder
 * returns a fresh object, so a test may change what it gets without touching another test.
 */

/** The fixed moment of recording: a few days after the article. */
export const RECORDED_AT = '2025-03-01T12:00:00.000Z';
export const SANCTIONS_RELIEF = 'russia-sanctions-relief';
/** The id the default statement is recorded under. */
export const STATEMENT_ID = 'rubio-2025-02-18';

export interface ActorBody {
  id: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  wikidataId?: string;
}

const ACTORS = {
  usGovernment: { id: 'us-government', name: 'United States government', kind: 'government', aliases: ['Washington'] },
  russianGovernment: { id: 'russian-government', name: 'Government of the Russian Federation', kind: 'government', aliases: ['Moscow', 'the Kremlin'] },
  eu: { id: 'european-union', name: 'European Union', kind: 'organization', aliases: ['the EU', 'Brussels'] },
  trump: { id: 'donald-trump', name: 'Donald Trump', kind: 'person', aliases: [] },
  rubio: { id: 'marco-rubio', name: 'Marco Rubio', kind: 'person', aliases: [] },
  dombrovskis: { id: 'valdis-dombrovskis', name: 'Valdis Dombrovskis', kind: 'person', aliases: [] },
  putin: { id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', aliases: [] },
} as const satisfies Record<string, Readonly<ActorBody>>;

export type SeedActor = keyof typeof ACTORS;
export const SEED_ACTORS = Object.keys(ACTORS) as SeedActor[];
export const actorId = (actor: SeedActor): string => ACTORS[actor].id;

export function actorBody(actor: SeedActor, overrides: Partial<ActorBody> = {}): ActorBody {
  const { id, name, kind, aliases } = ACTORS[actor];
  return { id, name, kind, aliases: [...aliases], ...overrides };
}

export const registerActor = (actor: SeedActor, overrides: Partial<ActorBody> = {}): RegisterActor => ({
  type: 'RegisterActor',
  ...actorBody(actor, overrides),
});

export const actorRegistered = (actor: SeedActor, overrides: Partial<ActorBody> = {}): ActorRegistered => ({
  type: 'ActorRegistered',
  data: actorBody(actor, overrides),
});

/** `POST /api/actors/{id}/affiliations` body. */
export interface AffiliationBody {
  organizationId: string;
  role: string;
  from: string;
  until?: string;
  speaksFor: boolean;
}

/** The seed's affiliations, by the person who holds them. */
const AFFILIATIONS = {
  trump: { organizationId: 'us-government', role: 'President', from: '2025-01-20', speaksFor: true },
  rubio: { organizationId: 'us-government', role: 'Secretary of State', from: '2025-01-21', speaksFor: true },
  dombrovskis: { organizationId: 'european-union', role: 'European Commissioner', from: '2019-12-01', speaksFor: true },
  putin: { organizationId: 'russian-government', role: 'President', from: '2012-05-07', speaksFor: true },
} as const satisfies Record<string, Readonly<AffiliationBody>>;

export type SeedSpeaker = keyof typeof AFFILIATIONS;
export const SEED_SPEAKERS = Object.keys(AFFILIATIONS) as SeedSpeaker[];

export const affiliationBody = (speaker: SeedSpeaker, overrides: Partial<AffiliationBody> = {}): AffiliationBody => ({
  ...AFFILIATIONS[speaker],
  ...overrides,
});

/** What the store says of an organization, as a command's fact. */
export function organizationFact(organizationId: string): { id: string; kind: ActorKind } {
  const actor = Object.values(ACTORS).find((a) => a.id === organizationId);
  if (!actor) throw new Error(`no seed actor '${organizationId}'`);
  return { id: actor.id, kind: actor.kind };
}

export function beginAffiliation(speaker: SeedSpeaker, overrides: Partial<Omit<BeginAffiliation, 'type'>> = {}): BeginAffiliation {
  const body = affiliationBody(speaker);
  return { type: 'BeginAffiliation', actorId: actorId(speaker), ...body, organization: organizationFact(body.organizationId), ...overrides };
}

export const affiliationBegan = (speaker: SeedSpeaker, overrides: Partial<AffiliationBody> = {}): AffiliationBegan => ({
  type: 'AffiliationBegan',
  data: affiliationBody(speaker, overrides),
});

/** The affiliation as actor state holds it (and as statement facts carry it): `until` null while open. */
export function affiliation(speaker: SeedSpeaker, overrides: Partial<Affiliation> = {}): Affiliation {
  const { organizationId, role, from, speaksFor } = affiliationBody(speaker);
  return { organizationId, role, from, until: null, speaksFor, ...overrides };
}

export const rubioAffiliationBody = (overrides: Partial<AffiliationBody> = {}): AffiliationBody => affiliationBody('rubio', overrides);
export const beginRubioAffiliation = (overrides: Partial<Omit<BeginAffiliation, 'type'>> = {}): BeginAffiliation => beginAffiliation('rubio', overrides);
export const rubioAffiliationBegan = (overrides: Partial<AffiliationBody> = {}): AffiliationBegan => affiliationBegan('rubio', overrides);
export const rubioAffiliation = (overrides: Partial<Affiliation> = {}): Affiliation => affiliation('rubio', overrides);

export function sanctionsReliefCodebook(): Stance[] {
  return [
    { code: 'lift-unconditionally', label: 'Sanctions are illegitimate and must be removed', score: 2 },
    { code: 'concessions-needed', label: 'Relief is possible within a settlement with concessions from all sides', score: 1 },
    { code: 'not-yet', label: 'Nothing lifted for now; may be lifted at some point', score: 0 },
    { code: 'no-lifting', label: 'No plans to lift', score: -1 },
    { code: 'tighten', label: 'Add further restrictions', score: -2 },
  ];
}

/** `POST /api/topics` body. */
export interface TopicBody {
  id: string;
  title: string;
  proposition: string;
  stances: Stance[];
}

export const sanctionsReliefBody = (overrides: Partial<TopicBody> = {}): TopicBody => ({
  id: SANCTIONS_RELIEF,
  title: 'Relief of Western sanctions on Russia',
  proposition: 'Western sanctions on Russia should be lifted',
  stances: sanctionsReliefCodebook(),
  ...overrides,
});

export const openSanctionsRelief = (overrides: Partial<TopicBody> = {}): OpenTopic => ({ type: 'OpenTopic', ...sanctionsReliefBody(overrides) });
export const sanctionsReliefOpened = (overrides: Partial<TopicBody> = {}): TopicOpened => ({ type: 'TopicOpened', data: sanctionsReliefBody(overrides) });

/** `POST /api/statements` body: Rubio's statement of about 2025-02-18, for himself (see `speakingForUsGovernment`). */
export type StatementBody = { actorId: string; topicId: string } & StatementFields;

/** The fields of that statement, as `PositionStated` carries them. */
export const statementFields = (overrides: Partial<StatementFields> = {}): StatementFields => ({
  stance: 'concessions-needed',
  summary: 'Western nations will have to consider lifting sanctions for an enduring settlement; the EU must be at the table',
  quote: 'there has to be concessions made by all sides',
  statedOn: '2025-02-18',
  source: {
    title: "News report on US statements about Russia sanctions (approximate date: 'last week', after the Saudi Arabia talks)",
    publishedOn: '2025-02-26',
  },
  ...overrides,
});

export const statementBody = (overrides: Partial<StatementBody> = {}): StatementBody => ({
  actorId: actorId('rubio'),
  topicId: SANCTIONS_RELIEF,
  ...statementFields(),
  ...overrides,
});

/** The facts a statement command carries by default: Rubio (Secretary of State from 2025-01-21), the seed codebook. */
export const statementFacts = (): Pick<RecordStatement, 'recordedAt' | 'actor' | 'topic'> => ({
  recordedAt: RECORDED_AT,
  actor: { id: actorId('rubio'), affiliations: [rubioAffiliation()] },
  topic: { id: SANCTIONS_RELIEF, stances: sanctionsReliefCodebook() },
});

/** Overrides that make the statement one Rubio made for the US government, as the seed has it. */
export const speakingForUsGovernment = (): Pick<RecordStatement, 'onBehalfOf' | 'onBehalfOfActor'> => ({
  onBehalfOf: 'us-government',
  onBehalfOfActor: organizationFact('us-government'),
});

export const recordStatement = (overrides: Partial<RecordStatement> = {}): RecordStatement => ({
  type: 'RecordStatement',
  statementId: STATEMENT_ID,
  ...statementBody(),
  ...statementFacts(),
  ...overrides,
});

/** The event `recordStatement()` produces, for `given`. */
export const positionStated = (overrides: Partial<PositionStated['data']> = {}): PositionStated => ({
  type: 'PositionStated',
  data: { statementId: STATEMENT_ID, ...statementFields(), ...overrides },
});

export const correctStatement = (changes: CorrectStatement['changes'], overrides: Partial<CorrectStatement> = {}): CorrectStatement => ({
  type: 'CorrectStatement',
  statementId: STATEMENT_ID,
  changes,
  reason: 'The article dates it to the week before',
  ...statementFacts(),
  ...overrides,
});

export const retractStatement = (overrides: Partial<RetractStatement> = {}): RetractStatement => ({
  type: 'RetractStatement',
  statementId: STATEMENT_ID,
  reason: 'Misattributed: the words were a spokesperson’s',
  ...overrides,
});
