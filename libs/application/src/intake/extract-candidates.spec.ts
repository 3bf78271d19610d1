import { FORMER_HELD_OUT_ARTICLES, HELD_OUT_ARTICLES, INTAKE_ACTORS, INTAKE_ARTICLES, type IntakeArticle, SEED_ARTICLE } from '@positions/testing';
import { findStatements } from './extract-candidates';
import { type Score, score } from './testing/intake-quality';

const actors = INTAKE_ACTORS.map((a) => ({ ...a, aliases: [...a.aliases] }));
const candidatesOf = (article: { text: string; publishedOn: string }) => findStatements(article.text, article.publishedOn, actors);

describe('finding statements in an article', () => {
  it('finds Trump, Rubio, Dombrovskis and Putin in the seed report, with their registered actors and dates', () => {
    const found = candidatesOf(SEED_ARTICLE);
    const said = (actorId: string, words: string) =>
      found.find((c) => c.speaker.actorId === actorId && SEED_ARTICLE.text.slice(c.quoteSpan[0], c.quoteSpan[1]).includes(words));
    expect(said('donald-trump', 'we haven’t lifted any sanctions')).toMatchObject({ statedOn: '2025-02-26', statedOnWording: null });
    expect(said('marco-rubio', 'there has to be concessions made by all sides')).toMatchObject({
      quote: 'there has to be concessions made by all sides',
      statedOn: '2025-02-17/2025-02-23',
      statedOnWording: 'last week',
    });
    expect(said('valdis-dombrovskis', 'no plans to lift')).toMatchObject({ quote: null, statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' });
    expect(said('vladimir-putin', 'stimulating role')).toMatchObject({ quote: 'stimulating role', statedOn: '2025-02-17/2025-02-23' });
  });

  it('gives spans that point at the quote in the text and at the speaker as named there', () => {
    for (const candidate of candidatesOf(SEED_ARTICLE)) {
      if (candidate.quote !== null) expect(SEED_ARTICLE.text.slice(...candidate.quoteSpan)).toBe(candidate.quote);
      if (candidate.speaker.span) expect(SEED_ARTICLE.text.slice(...candidate.speaker.span)).toMatch(/^(he|she|He|She|[A-Z].*)$/);
    }
  });

  it('reads reported speech without "that" after its verb, and not after a verb whose object is a person', () => {
    const text =
      'Olaf Scholz spoke in Berlin on Friday. He said on Friday the coalition would find the money. He warned Russia was testing Europe. ' +
      'Scholz told reporters at the chancellery about the budget.';
    const found = findStatements(text, '2025-03-10', actors).map((c) => [c.speaker.actorId, text.slice(...c.quoteSpan), c.statedOn]);
    expect(found).toEqual([
      ['olaf-scholz', 'the coalition would find the money', '2025-03-07'],
      ['olaf-scholz', 'Russia was testing Europe', '2025-03-07'],
    ]);
  });

  it('takes the name before a title set off by commas as the speaker', () => {
    const text = 'Sergey Lavrov, Russia’s veteran foreign minister, later insisted that the talks had stalled. “Nothing has changed,” Peskov, a Kremlin spokesman, added.';
    const found = findStatements(text, '2025-03-10', actors).map((c) => [c.speaker.actorId, text.slice(...c.quoteSpan), text.slice(...(c.speaker.span ?? [0, 0]))]);
    expect(found).toEqual([
      ['sergey-lavrov', 'the talks had stalled', 'Sergey Lavrov'],
      ['dmitry-peskov', 'Nothing has changed', 'Peskov'],
    ]);
  });

  it('keeps precision and recall of (speaker, quote) pairs and of dates at 0.8 or more over the test articles', () => {
    const total = totals([SEED_ARTICLE, ...INTAKE_ARTICLES, ...FORMER_HELD_OUT_ARTICLES, ...HELD_OUT_ARTICLES]);
    expect(INTAKE_ARTICLES.length + FORMER_HELD_OUT_ARTICLES.length + HELD_OUT_ARTICLES.length).toBeGreaterThanOrEqual(10);
    expect(atLeast(total, 0.8)).toEqual({ pairPrecision: true, pairRecall: true, datePrecision: true, dateRecall: true });
  });
});

/** The figures of each set, in the test names, so a run shows them (the README copies them). */
const SETS: [string, IntakeArticle[]][] = [
  ['the seed report', [SEED_ARTICLE]],
  ['written while building the rules', INTAKE_ARTICLES],
  ['first held out, then tuned on', FORMER_HELD_OUT_ARTICLES],
  ['held out, never tuned on', HELD_OUT_ARTICLES],
];

describe.each(SETS.map(([name, articles]) => [`${name} (${articles.length})`, articles, figures(totals(articles))]))('how well it reads: %s', (_name, articles, shown) => {
  it(`${shown}`, () => {
    expect((articles as IntakeArticle[]).length).toBeGreaterThan(0);
  });
});

function totals(articles: IntakeArticle[]): Score {
  const total: Score = { found: 0, expected: 0, pairsRight: 0, datesRight: 0 };
  for (const article of articles) {
    const one = score(candidatesOf(article), article.text, article.expected);
    for (const key of Object.keys(total) as (keyof Score)[]) total[key] += one[key];
  }
  return total;
}

function ratio(right: number, of: number): number {
  return of === 0 ? 1 : right / of;
}

function atLeast(total: Score, floor: number) {
  return {
    pairPrecision: ratio(total.pairsRight, total.found) >= floor,
    pairRecall: ratio(total.pairsRight, total.expected) >= floor,
    datePrecision: ratio(total.datesRight, total.found) >= floor,
    dateRecall: ratio(total.datesRight, total.expected) >= floor,
  };
}

function figures(total: Score): string {
  const f = (right: number, of: number) => ratio(right, of).toFixed(2);
  return (
    `(speaker, words) precision ${f(total.pairsRight, total.found)} recall ${f(total.pairsRight, total.expected)}; ` +
    `dates precision ${f(total.datesRight, total.found)} recall ${f(total.datesRight, total.expected)} ` +
    `(${total.found} found, ${total.expected} expected)`
  );
}
