import type { Stance } from './topic.events';

export type OpenTopic = { type: 'OpenTopic'; id: string; title: string; proposition: string; stances: Stance[] };
export type AddStance = { type: 'AddStance'; topicId: string } & Stance;

export type TopicCommand = OpenTopic | AddStance;
