import { segments } from './intake-text';

describe('the article cut for highlighting', () => {
  const text = '“No,” Trump said. Rubio noted that “all sides” must give.';
  const at = (words: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length });

  it('covers the whole text once, in order, with each highlight where its span says', () => {
    const cut = segments(text, [
      { ...at('No'), kind: 'words', candidateId: 'c1' },
      { ...at('Trump'), kind: 'speaker', candidateId: 'c1' },
      { ...at('all sides'), kind: 'words', candidateId: 'c2' },
      { ...at('Rubio'), kind: 'speaker', candidateId: 'c2' },
    ]);
    expect(cut.map((s) => s.text).join('')).toBe(text);
    expect(cut.filter((s) => s.highlight).map((s) => [s.text, s.highlight?.kind])).toEqual([
      ['No', 'words'],
      ['Trump', 'speaker'],
      ['Rubio', 'speaker'],
      ['all sides', 'words'],
    ]);
  });

  it('keeps the first of two overlapping highlights and drops spans outside the text', () => {
    const cut = segments(text, [
      { start: 0, end: 20, kind: 'words', candidateId: 'c1' },
      { ...at('Trump'), kind: 'speaker', candidateId: 'c1' },
      { start: 50, end: 500, kind: 'words', candidateId: 'c9' },
    ]);
    expect(cut.map((s) => s.text).join('')).toBe(text);
    expect(cut.filter((s) => s.highlight)).toHaveLength(1);
  });
});
