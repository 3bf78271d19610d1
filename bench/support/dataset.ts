/** A deterministic data set from a seed: the same actors, topics and statements every run. */

export const STANCES = [
  { code: 'strongly-against', label: 'Strongly against', score: -2 },
  { code: 'against', label: 'Against', score: -1 },
  { code: 'neutral', label: 'Neither for nor against', score: 0 },
  { code: 'for', label: 'For', score: 1 },
  { code: 'strongly-for', label: 'Strongly for', score: 2 },
];

/** mulberry32: tiny, fast, good enough to spread load and dates. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const actorId = (i: number): string => `actor-${i}`;
export const topicId = (i: number): string => `topic-${i}`;

export interface Shape {
  actors: number;
  topics: number;
  statements: number;
  seed: number;
  /** The index of the first statement (default 0): a later part of a larger data set, whose ids, texts and sources go on from there. */
  from?: number;
}

const DAY = 86_400_000;
const START = Date.UTC(2015, 0, 1);

/** The i-th statement of the data set: actor, topic, stance and date all drawn from the seed. */
export function* statements(shape: Shape) {
  const next = random(shape.seed);
  const from = shape.from ?? 0;
  for (let i = from; i < from + shape.statements; i++) {
    // The first `actors` statements give every actor a position on topic-0: a topic of that many actors.
    const actor = i < shape.actors ? i : Math.floor(next() * shape.actors);
    const topic = i < shape.actors ? 0 : Math.floor(next() * shape.topics);
    const stance = STANCES[Math.floor(next() * STANCES.length)].code;
    const statedOn = new Date(START + Math.floor(next() * 3650) * DAY).toISOString().slice(0, 10);
    yield {
      actorId: actorId(actor),
      topicId: topicId(topic),
      stance,
      statedOn,
      summary: `Statement ${i} of ${actorId(actor)} on ${topicId(topic)}: ${stance}`,
      quote: `We said ${stance} (${i})`,
      source: { url: `https://example.org/news/${i}`, title: `Report ${i}`, publisher: 'Example News', publishedOn: statedOn },
    };
  }
}

/** The data set as a CSV in the CLI's import format, written line by line to `write`. */
export function csvLines(shape: Shape): Iterable<string> {
  return (function* () {
    yield 'actorId,topicId,stance,statedOn,summary,quote,sourceUrl,sourceTitle,publisher,publishedOn,onBehalfOf';
    for (const s of statements(shape)) {
      yield [s.actorId, s.topicId, s.stance, s.statedOn, s.summary, s.quote, s.source.url, s.source.title, s.source.publisher, s.source.publishedOn, ''].join(',');
    }
  })();
}
