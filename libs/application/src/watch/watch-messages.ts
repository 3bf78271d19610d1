import type { Direction, Shift, Stance } from '@positions/domain';

/** The message types of the stream and of webhooks (docs/api.md, "Watching for changes"). */
export const MESSAGE_TYPES = ['position-changed', 'voice-diverged', 'voice-converged', 'statement-corrected', 'statement-retracted'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface PositionChanged {
  actorId: string;
  topicId: string;
  before: Stance | null;
  after: Stance | null;
  /** Null when the change leaves no position (the only statement retracted). */
  shift: Shift | null;
  direction: Direction | null;
  statementId: string | null;
  /**
   * `uncertain` when a statement possibly made by then (its range of dates reaches past the
   * moment of the change) would give another answer; `positionCertainty` in message-deriver.ts
   * is the one place that fills it.
   */
  certainty: 'certain' | 'uncertain';
}

export interface VoiceChanged {
  orgId: string;
  topicId: string;
  voices: { actorId: string; stance: Stance | null; statementId: string }[];
}

export interface StatementNotice {
  statementId: string;
  actorId: string;
  topicId: string;
  reason: string;
}

/** One message: `position` is the log position of the event that caused it (its SSE `id`). */
export type WatchMessage =
  | { position: number; type: 'position-changed'; data: PositionChanged }
  | { position: number; type: 'voice-diverged' | 'voice-converged'; data: VoiceChanged }
  | { position: number; type: 'statement-corrected' | 'statement-retracted'; data: StatementNotice };

/** What a stream client or a webhook asked to see; an absent field does not filter. */
export interface MessageFilter {
  topicId?: string;
  actorId?: string;
  types?: MessageType[];
}

/** Whether a message is one the filter lets through; a voice message concerns its organization and every voice. */
export function matchesFilter(filter: MessageFilter, message: WatchMessage): boolean {
  if (filter.types && !filter.types.includes(message.type)) return false;
  if (filter.topicId !== undefined && message.data.topicId !== filter.topicId) return false;
  if (filter.actorId === undefined) return true;
  const data = message.data;
  if ('orgId' in data) return data.orgId === filter.actorId || data.voices.some((v) => v.actorId === filter.actorId);
  return data.actorId === filter.actorId;
}
