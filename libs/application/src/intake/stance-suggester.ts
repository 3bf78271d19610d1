import type { Stance } from '@positions/domain';
import { type Example, NaiveBayes } from './stance-classifier';

/** What the suggestions learn from: each topic, its codebook and the quotes and summaries recorded on it. */
export interface TopicRecord {
  id: string;
  title: string;
  proposition: string;
  stances: readonly Stance[];
  statements: readonly { stance: string; quote?: string; summary: string }[];
}

export interface StanceSuggestion {
  topicId: string | null;
  stance: string | null;
  stanceConfidence: number;
  cues: string[];
}

/** Below this confidence a stance is not suggested (`stance: null`): the recorder picks one. */
export const STANCE_THRESHOLD = 0.5;

/**
 * Suggests a topic (the given one, else the one whose proposition, codebook and statements the
 * text is most like) and a stance of its codebook, from classifiers trained on the record as it
 * is now: retrained on every draft, so they grow with the record.
 */
export class StanceSuggester {
  private readonly topicModel: NaiveBayes;
  private readonly stanceModels = new Map<string, NaiveBayes>();

  constructor(private readonly topics: readonly TopicRecord[]) {
    this.topicModel = new NaiveBayes(topics.flatMap(topicExamples));
    for (const topic of topics) {
      const examples: Example[] = [
        ...topic.stances.map((s) => ({ label: s.code, text: s.label })),
        ...topic.statements.map((s) => ({ label: s.stance, text: [s.quote ?? '', s.summary].join('. ') })),
      ];
      this.stanceModels.set(topic.id, new NaiveBayes(examples, topic.stances.map((s) => s.code)));
    }
  }

  suggest(text: string, topicId?: string): StanceSuggestion {
    const topic = topicId ?? (this.topics.length === 1 ? this.topics[0].id : this.topicModel.classify(text)?.label) ?? null;
    const model = topic === null ? undefined : this.stanceModels.get(topic);
    const guess = model?.classify(text) ?? null;
    if (!guess) return { topicId: topic, stance: null, stanceConfidence: 0, cues: [] };
    const confidence = Math.round(guess.confidence * 1000) / 1000;
    return { topicId: topic, stance: confidence >= STANCE_THRESHOLD ? guess.label : null, stanceConfidence: confidence, cues: guess.cues };
  }
}

function topicExamples(topic: TopicRecord): Example[] {
  const about = [topic.title, topic.proposition, ...topic.stances.map((s) => s.label)].join('. ');
  return [{ label: topic.id, text: about }, ...topic.statements.map((s) => ({ label: topic.id, text: [s.quote ?? '', s.summary].join('. ') }))];
}
