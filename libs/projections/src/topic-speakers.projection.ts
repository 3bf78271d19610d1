import { parseStream } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';
import type { ViewReader } from './view-reader';

export const TOPIC_SPEAKERS_VIEW = 'topic-speakers';
export const topicSpeakersTable = (suffix: string): string => `topic_speakers${suffix}`;
export const topicSpeakerCountsTable = (suffix: string): string => `topic_speaker_counts${suffix}`;

/**
 * How many actors have a statement on each topic (retracted ones count, as in the topic feed):
 * the actor–topic pairs seen, and a count per topic moved when a pair is new. Counting distinct
 * actors in the statements index instead read every statement (~110 ms at 1,000,000).
 */
export const topicSpeakersProjection: Projection = {
  name: TOPIC_SPEAKERS_VIEW,
  version: 1,
  handles: ['PositionStated'],
  open(db: ViewsDatabase, suffix: string) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${topicSpeakersTable(suffix)} (
      topic_id TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      PRIMARY KEY (topic_id, actor_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${topicSpeakerCountsTable(suffix)} (
      topic_id TEXT PRIMARY KEY,
      speakers INTEGER NOT NULL
    ) WITHOUT ROWID`);
    const seen = db.prepare(`INSERT OR IGNORE INTO ${topicSpeakersTable(suffix)} (topic_id, actor_id) VALUES (?, ?)`);
    const count = db.prepare(`INSERT INTO ${topicSpeakerCountsTable(suffix)} (topic_id, speakers) VALUES (?, 1)
      ON CONFLICT (topic_id) DO UPDATE SET speakers = speakers + 1`);
    return (stored: StoredEvent) => {
      const ref = parseStream(stored.streamId);
      if (ref?.kind !== 'position') return;
      if (seen.run(ref.topicId, ref.actorId).changes > 0) count.run(ref.topicId);
    };
  },
  drop(db: ViewsDatabase, suffix: string) {
    db.exec(`DROP TABLE IF EXISTS ${topicSpeakersTable(suffix)}; DROP TABLE IF EXISTS ${topicSpeakerCountsTable(suffix)}`);
  },
};

/** How many actors have a statement on each topic, by topic id: one row per topic. */
export function topicSpeakerCounts(read: ViewReader): Map<string, number> {
  return read.guard(() => {
    const sql = `SELECT topic_id, speakers FROM ${topicSpeakerCountsTable(read.suffix(TOPIC_SPEAKERS_VIEW))}`;
    return new Map(read.prepare(sql).raw().all() as [string, number][]);
  });
}
