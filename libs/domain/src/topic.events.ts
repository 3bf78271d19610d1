import type { Event } from './event';

/** One entry of a topic's codebook; `score` is an integer from -2 (strongly against) to +2. */
export interface Stance {
  code: string;
  label: string;
  score: number;
}

export type TopicOpened = Event<'TopicOpened', { id: string; title: string; proposition: string; stances: Stance[] }>;
export type StanceAdded = Event<'StanceAdded', Stance>;

export type TopicEvent = TopicOpened | StanceAdded;
