import { HELD_OUT_ARTICLES, INTAKE_ACTORS, INTAKE_ARTICLES, type IntakeArticle, SEED_ARTICLE } from '@positions/testing';
import { findStatements } from './extract-candidates';
import { type Score, score } from './intake-quality';

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

  it('keeps precision and recall of (speaker, quote) pairs and of dates at 0.8 or more over the test articles', () => {
    const total = totals([...INTAKE_ARTICLES, ...HELD_OUT_ARTICLES]);
    expect(INTAKE_ARTICLES.length + HELD_OUT_ARTICLES.length).toBeGreaterThanOrEqual(10);
    expect({
      pairPrecision: total.pairsRight / total.found >= 0.8,
      pairRecall: total.pairsRight / total.expected >= 0.8,
      datePrecision: total.datesRight / total.found >= 0.8,
      dateRecall: total.datesRight / total.expected >= 0.8,
    }).toEqual({ pairPrecision: true, pairRecall: true, datePrecision: true, dateRecall: true });
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
