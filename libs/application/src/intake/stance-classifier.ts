/** A labelled text a classifier learns from: a recorded statement's quote and summary, or a codebook label. */
export interface Example {
  label: string;
  text: string;
}

export interface Suggestion {
  label: string;
  /** The posterior probability of `label`, in [0, 1]. */
  confidence: number;
  /** The words of the text that pointed most to `label`. */
  cues: string[];
}

const STOP_WORDS = new Set(
  'a an the and or but of to in on at by for with from as is are was were be been it its this that these those he she they we i you his her their our has have had will would should could can may might do does did so than then there here what which who whom about into over after before also very just said says say'.split(' '),
);
const NEGATIONS = /^(?:no|not|never|nothing|none|nobody|neither|nor|without|n['’]t|cannot)$/;

/** How many content words after a negation it reaches ("no plans to lift sanctions": plans, lift, sanctions). */
const NEGATION_REACH = 3;

/**
 * Words as features: lowercased, stop words dropped, a plain suffix cut, and a word shortly after
 * a negation marked as such ("no plans to lift" gives `not_plan`, `not_lift`), so that "lift" and
 * "not lift" point to different stances. Each with the word of the text it came from.
 */
export function featuresOf(text: string): { feature: string; word: string }[] {
  const out: { feature: string; word: string }[] = [];
  let reach = 0;
  for (const token of text.toLowerCase().replace(/’/g, "'").match(/[a-z]+(?:'[a-z]+)?|[.,;:!?]/g) ?? []) {
    if (/^[.,;:!?]$/.test(token)) {
      reach = 0;
      continue;
    }
    const word = token.replace(/n't$/, '');
    if (NEGATIONS.test(token) || token.endsWith("n't")) reach = NEGATION_REACH + 1;
    if (word.length < 3 || STOP_WORDS.has(word) || NEGATIONS.test(word)) continue;
    const stem = word.length > 5 ? word.replace(/(?:ing|ed|es|s)$/, '') : word.replace(/s$/, '');
    out.push({ feature: reach > 0 ? `not_${stem}` : stem, word: reach > 0 ? `not ${word}` : word });
    reach = Math.max(0, reach - 1);
  }
  return out;
}

export const features = (text: string): string[] => featuresOf(text).map((f) => f.feature);

/**
 * Multinomial naive Bayes with add-one smoothing and equal priors: small, retrained from the
 * record on every use, and able to say which words led to its answer.
 */
export class NaiveBayes {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly vocabulary = new Set<string>();

  constructor(examples: readonly Example[], labels: readonly string[] = []) {
    for (const label of labels) this.classOf(label);
    for (const { label, text } of examples) {
      const counts = this.classOf(label);
      for (const feature of features(text)) {
        counts.set(feature, (counts.get(feature) ?? 0) + 1);
        this.totals.set(label, (this.totals.get(label) ?? 0) + 1);
        this.vocabulary.add(feature);
      }
    }
  }

  get labels(): string[] {
    return [...this.counts.keys()];
  }

  classify(text: string): Suggestion | null {
    const found = featuresOf(text).filter((f) => this.vocabulary.has(f.feature));
    const words = found.map((f) => f.feature);
    if (this.counts.size === 0 || words.length === 0) return null;
    const scores = this.labels.map((label) => ({ label, log: words.reduce((sum, w) => sum + this.logLikelihood(label, w), 0) }));
    const top = Math.max(...scores.map((s) => s.log));
    const norm = scores.reduce((sum, s) => sum + Math.exp(s.log - top), 0);
    const best = scores.reduce((a, b) => (b.log > a.log ? b : a));
    const cues = this.cues(best.label, words).map((feature) => found.find((f) => f.feature === feature)?.word ?? feature);
    return { label: best.label, confidence: Math.exp(best.log - top) / norm, cues };
  }

  private cues(label: string, words: string[]): string[] {
    const others = this.labels.filter((l) => l !== label);
    const lift = (w: string) => this.logLikelihood(label, w) - Math.max(...others.map((o) => this.logLikelihood(o, w)), -Infinity);
    return [...new Set(words)]
      .filter((w) => others.length === 0 || lift(w) > 0)
      .sort((a, b) => lift(b) - lift(a))
      .slice(0, 5);
  }

  private logLikelihood(label: string, word: string): number {
    const count = this.counts.get(label)?.get(word) ?? 0;
    return Math.log((count + 1) / ((this.totals.get(label) ?? 0) + this.vocabulary.size));
  }

  private classOf(label: string): Map<string, number> {
    let counts = this.counts.get(label);
    if (!counts) this.counts.set(label, (counts = new Map()));
    return counts;
  }
}
