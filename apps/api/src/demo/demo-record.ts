import type { DataSet } from '@positions/application';

export type SampleStatement = NonNullable<DataSet['statements']>[number];

/**
 * One moment of the demo's record: what a recorder did then. `record` statements are looked up
 * by identity in later steps (`correct`, `retract`), as the recorder would by statement id.
 */
export type DemoStep = { at: string } & (
  | { setup: DataSet }
  | { record: SampleStatement[] }
  | { correct: SampleStatement; changes: Partial<SampleStatement>; reason: string }
  | { retract: SampleStatement; reason: string }
);

const RELIEF = 'russia-sanctions-relief';
const EFFECT = 'russia-sanctions-effect';

/**
 * How the demo (SEED_DEMO) records the sample data set: not all at once when the service starts,
 * but as a newsroom would have after the article of 2025-02-26 appeared, at the demo's own past
 * moments (these are the log's `recordedAt`; nothing else in the log is back-dated), with one
 * mistake corrected and one retracted, each with its reason. So "as known at" shows the record
 * grow, change and lose a statement. Every moment is before 2025-03-01, and the final record is
 * the data set itself.
 */
export function demoRecord({ actors, affiliations, topics, statements = [] }: DataSet): DemoStep[] {
  const said = (actorId: string, topicId = RELIEF): SampleStatement => {
    const statement = statements.find((s) => s.actorId === actorId && s.topicId === topicId);
    if (!statement) throw new Error(`the sample data set has no statement of ${actorId} on ${topicId}`);
    return statement;
  };
  const eu = said('european-union');
  // First recorded to the day the 16th package was adopted; the article only says "earlier this week".
  const { statedOnWording: _wording, ...euToTheDay } = eu;
  const euAsFirstRecorded: SampleStatement = { ...euToTheDay, statedOn: '2025-02-24' };
  // The article gives this to Moscow, the Russian government: recorded for Putin by mistake (who
  // has a statement of his own on the topic, so the topic's speakers stay those of the data set).
  const misattributed: SampleStatement = { ...said('russian-government', EFFECT), actorId: 'vladimir-putin', onBehalfOf: 'russian-government' };
  // Moments to the second, as records are made (a time input drops seconds of :00).
  return [
    { at: '2025-02-26T14:00:12.000Z', setup: { actors, affiliations, topics } },
    { at: '2025-02-26T14:10:41.000Z', record: [said('marco-rubio'), said('valdis-dombrovskis')] },
    { at: '2025-02-26T17:30:05.000Z', record: [said('donald-trump'), said('russian-government'), said('russian-government', EFFECT)] },
    { at: '2025-02-27T09:15:27.000Z', record: [euAsFirstRecorded, said('vladimir-putin', EFFECT), misattributed] },
    {
      at: '2025-02-28T10:00:38.000Z',
      correct: euAsFirstRecorded,
      changes: { statedOn: eu.statedOn, statedOnWording: eu.statedOnWording },
      reason: "The article dates the EU's remark only as 'earlier this week', not to the day the package was adopted",
    },
    {
      at: '2025-02-28T11:30:16.000Z',
      retract: misattributed,
      reason: 'Misattributed: the article gives this to Moscow (the Russian government, recorded as such), not to Putin',
    },
  ];
}
