import type { Voice } from './api';
import type { VoiceSample } from './model';

/**
 * An organization's voice at the end of `day`, from the feed's samples: the last sample on or
 * before the day (the voice changes only on sampled days); before the first, no known position.
 */
export function voiceAt(samples: readonly VoiceSample[], day: string, organizationId: string, topicId: string): Voice {
  let found: Voice | null = null;
  for (const sample of samples) if (sample.date <= day) found = sample.voice;
  return (
    found ?? { actorId: organizationId, topicId, at: day, knownAt: '', stance: null, since: null, statement: null, speaker: null, voices: [], divergent: false }
  );
}
