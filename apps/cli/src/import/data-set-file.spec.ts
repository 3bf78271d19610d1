import { elementLines } from './data-set-file';

describe('elementLines', () => {
  it('finds the line each element of each top-level array starts on', () => {
    const text = ['{', '  "about": "a [list], {not} \\"this\\"",', '  "actors": [', '    {"id": "a", "aliases": ["x", "y"]},', '', '    {"id": "b"}', '  ],', '  "topics": [{"id": "t",', '    "stances": []}]', '}'].join('\n');
    const lines = elementLines(text);
    expect(lines.get('actors')).toEqual([4, 6]);
    expect(lines.get('topics')).toEqual([8]);
    expect(lines.has('aliases')).toBe(false);
  });
});
