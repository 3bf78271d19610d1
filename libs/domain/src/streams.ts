/** The one place stream names are built and read back. Slugs hold no '.', so the split is unambiguous. */
export const actorStream = (actorId: string): string => `actor-${actorId}`;
export const topicStream = (topicId: string): string => `topic-${topicId}`;
export const intakeStream = (draftId: string): string => `intake-${draftId}`;
export const positionStream = (actorId: string, topicId: string): string => `position-${actorId}.${topicId}`;

export type StreamRef =
  | { kind: 'actor'; actorId: string }
  | { kind: 'topic'; topicId: string }
  | { kind: 'position'; actorId: string; topicId: string };

export function parseStream(streamId: string): StreamRef | null {
  if (streamId.startsWith('actor-')) return { kind: 'actor', actorId: streamId.slice(6) };
  if (streamId.startsWith('topic-')) return { kind: 'topic', topicId: streamId.slice(6) };
  if (streamId.startsWith('position-')) {
    const [actorId, topicId, ...rest] = streamId.slice(9).split('.');
    if (actorId && topicId && rest.length === 0) return { kind: 'position', actorId, topicId };
  }
  return null;
}
